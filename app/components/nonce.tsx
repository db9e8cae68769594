import { createContext, useContext } from 'react'

/** The request's Content-Security-Policy nonce while rendering on the server; undefined in the browser. */
export const NonceContext = createContext<string | undefined>(undefined)
export const useNonce = () => useContext(NonceContext)
