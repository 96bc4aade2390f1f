/** Cursor pagination shared by every connection: opaque cursors, bounded page sizes. */
import { Field, ObjectType } from 'type-graphql';
import { badUserInput } from '../errors';

@ObjectType('PageInfo')
export class PageInfo {
  @Field(() => String) endCursor: string | null;
  @Field({ nullable: false }) hasNextPage: boolean;
}

export const MAX_PAGE_SIZE = 100;

/** Validates `first` (1…max). */
export function pageSize(first: number | null | undefined, fallback: number, max = MAX_PAGE_SIZE): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) throw badUserInput(`first must be between 1 and ${max}`);
  return n;
}

/** An opaque cursor for a sort key. */
export function encodeCursor(key: string): string {
  return Buffer.from(`v1:${key}`, 'utf8').toString('base64url');
}

/** The sort key inside a cursor; BAD_USER_INPUT when it is not one of ours. */
export function decodeCursor(cursor: string | null | undefined, pattern: RegExp): string | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const key = text.startsWith('v1:') ? text.slice(3) : '';
  if (!pattern.test(key)) throw badUserInput('after is not a valid cursor');
  return key;
}

/** Cuts a page fetched with one extra row into nodes and pageInfo. */
export function toPage<T>(rows: T[], size: number, keyOf: (row: T) => string): { nodes: T[]; pageInfo: PageInfo } {
  const nodes = rows.slice(0, size);
  const last = nodes[nodes.length - 1];
  return { nodes, pageInfo: { endCursor: last ? encodeCursor(keyOf(last)) : null, hasNextPage: rows.length > size } };
}
