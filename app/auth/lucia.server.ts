import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle'
import { Lucia, TimeSpan } from 'lucia'
import { db } from '#db/client.server'
import { sessions, users, type Role } from '#db/schema'
import type { Locale } from '~/i18n/locales'

export const lucia = new Lucia(new DrizzlePostgreSQLAdapter(db, sessions, users), {
	sessionExpiresIn: new TimeSpan(30, 'd'),
	sessionCookie: {
		name: 'kz_session',
		// The Secure flag depends on how each request arrived; see sessionCookieHeader.
		attributes: { sameSite: 'lax', secure: false },
	},
	getUserAttributes: (attributes) => ({
		email: attributes.email,
		displayName: attributes.displayName,
		role: attributes.role,
		emailVerified: attributes.emailVerifiedAt !== null,
		locale: attributes.locale,
		suspended: attributes.suspendedAt !== null,
	}),
})

declare module 'lucia' {
	interface Register {
		Lucia: typeof lucia
		DatabaseUserAttributes: { email: string; displayName: string; role: Role; emailVerifiedAt: Date | null; locale: Locale; suspendedAt: Date | null }
	}
}
