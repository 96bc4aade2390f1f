/**
 * A tiny tagged template for parameterised SQL: values never enter the text, fragments nest
 * and are renumbered ($1, $2, …) when composed.
 */
export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}

  /** The text with $n placeholders and the matching parameter list. */
  build(): { text: string; params: unknown[] } {
    const params: unknown[] = [];
    const text = this.render(params);
    return { text, params };
  }

  /** The text with named placeholders (:prefix_1, …) for TypeORM's query builder, and their values. */
  buildNamed(prefix: string): { text: string; params: Record<string, unknown> } {
    const values: unknown[] = [];
    const text = this.render(values, (n) => `:${prefix}_${n}`);
    return { text, params: Object.fromEntries(values.map((v, i) => [`${prefix}_${i + 1}`, v])) };
  }

  /**
   * The text with every value written into it: `replace` may substitute a value (e.g. a marker
   * for a setting read in SQL); other values become quoted literals. For SQL generated from the
   * policy's own constants (row-level security), never for request input.
   */
  inline(replace: (value: unknown) => string | undefined = () => undefined): string {
    let out = this.strings[0];
    this.values.forEach((value, i) => {
      out += value instanceof Sql ? value.inline(replace) : replace(value) ?? literal(value);
      out += this.strings[i + 1];
    });
    return out;
  }

  private render(params: unknown[], placeholder: (n: number) => string = (n) => `$${n}`): string {
    let out = this.strings[0];
    this.values.forEach((value, i) => {
      if (value instanceof Sql) out += value.render(params, placeholder);
      else {
        params.push(value);
        out += placeholder(params.length);
      }
      out += this.strings[i + 1];
    });
    return out;
  }
}

/** A constant as an SQL literal. */
function literal(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  throw new Error(`cannot write ${typeof value} into SQL text`);
}

/** sql`... ${value} ...` — a parameterised fragment. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql(strings, values);
}

/** Joins fragments with a separator (e.g. ' AND '). */
export function joinSql(parts: Sql[], separator: string): Sql {
  if (parts.length === 0) return sql`TRUE`;
  const strings = [''];
  for (let i = 1; i < parts.length; i++) strings.push(separator);
  strings.push('');
  return new Sql(strings, parts);
}
