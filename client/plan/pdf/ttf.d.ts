/** A WOFF2 font as TrueType, converted at build time (see `woff2AsTtf` in vite.config.ts): its URL. */
declare module '*.woff2?ttf' {
  const url: string
  export default url
}

/** wawoff2's WOFF2 → TTF converter (Node only: used by the build and by tests). */
declare module 'wawoff2/decompress.js' {
  export default function decompress(woff2: Uint8Array): Promise<Uint8Array>
}
