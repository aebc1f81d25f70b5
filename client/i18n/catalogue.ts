import type { nl } from './nl'

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }
/** The shape every catalogue must have: the Dutch one, with any strings. */
export type Catalogue = Widen<typeof nl>
