/** Japanese UI strings for this area; keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
}
