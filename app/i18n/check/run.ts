import { checkTranslations } from './check'

const problems = checkTranslations(process.cwd())
for (const problem of problems) console.error(problem)
console.log(problems.length === 0 ? 'Translations: every key has English and Japanese, once, and is used.' : `Translations: ${problems.length} problems`)
process.exitCode = problems.length === 0 ? 0 : 1
