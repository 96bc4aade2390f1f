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

  private render(params: unknown[]): string {
    let out = this.strings[0];
    this.values.forEach((value, i) => {
      if (value instanceof Sql) out += value.render(params);
      else {
        params.push(value);
        out += `$${params.length}`;
      }
      out += this.strings[i + 1];
    });
    return out;
  }
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
