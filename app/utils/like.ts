/** Text to match literally inside a LIKE pattern: its `%`, `_` and `\` no longer act as wildcards. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&')
