import fs from 'node:fs/promises'
import { DomainError } from './errors.server'

/** A file named on the command line, as text; a file that cannot be read is a refusal with the reason. */
export async function readInputFile(path: string): Promise<string> {
	try {
		return await fs.readFile(path, 'utf8')
	} catch (error) {
		throw new DomainError('invalid', `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
	}
}
