import type { Catalogue } from '../catalogue'

type DeepPartial<T> = { [K in keyof T]?: T[K] extends string ? string : DeepPartial<T[K]> }
/** What an easy-read catalogue may hold: any part of the normal catalogue, with other words. */
export type EasyCatalogue = DeepPartial<Catalogue>

/** The same keys as `T`, with any strings: the English easy catalogue has the Dutch one's keys. */
export type SameKeys<T> = { [K in keyof T]: T[K] extends string ? string : SameKeys<T[K]> }
