/** The two scalars of CONTRACT.md: Date (YYYY-MM-DD) and DateTime (ISO-8601 with offset). */
export { DateResolver as DateScalar, DateTimeResolver as DateTimeScalar } from 'graphql-scalars';
