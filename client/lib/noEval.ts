import { z } from 'zod'

// The page's Content-Security-Policy allows no eval (server/app.ts). Zod would try
// `new Function` once to see whether it may compile its checks, which the browser reports as a
// violation; jitless mode never tries.
z.config({ jitless: true })
