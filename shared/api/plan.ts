import { z } from 'zod'

/** Longest text of a piketpaaltje. */
export const MAX_PIKETPAALTJE_LENGTH = 500
/** Longest name of the framework a piketpaaltje comes from ("Jeugdwet", "curatele"). */
export const MAX_FRAMEWORK_LENGTH = 120
/** Longest comment with an approval or a request for a change. */
export const MAX_APPROVAL_COMMENT_LENGTH = 1000

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'planHash must be a SHA-256 in hex')

/**
 * A hard precondition a professional sets for the plan ("Sanne keeps her budget coach until
 * 2027"). Written by the server only, stamped with the professional link's label and the time.
 */
export const Piketpaaltje = z.object({
  id: z.string(),
  text: z.string(),
  framework: z.string(),
  /** The link that set it, and its label ("curator"). */
  linkId: z.string(),
  setBy: z.string(),
  setAt: z.string(),
})
export type Piketpaaltje = z.infer<typeof Piketpaaltje>

/** Body of `POST /api/atlases/:id/piketpaaltjes` (professional links only). */
export const PiketpaaltjeRequest = z.object({
  text: z
    .string({ error: 'text must be a string' })
    .trim()
    .min(1, 'text must not be empty')
    .max(MAX_PIKETPAALTJE_LENGTH, `text must be at most ${MAX_PIKETPAALTJE_LENGTH} characters`),
  framework: z
    .string({ error: 'framework must be a string' })
    .trim()
    .max(MAX_FRAMEWORK_LENGTH, `framework must be at most ${MAX_FRAMEWORK_LENGTH} characters`)
    .default(''),
})
export type PiketpaaltjeRequest = z.infer<typeof PiketpaaltjeRequest>

/** What a professional who set a piketpaaltje decides about the presented plan. */
export const ApprovalDecision = z.enum(['approved', 'changes-requested'])
export type ApprovalDecision = z.infer<typeof ApprovalDecision>

/**
 * A professional's decision on the plan as it was presented: tied to that content by its hash,
 * so a later change shows as "changed since approval". Written by the server only.
 */
export const Approval = z.object({
  id: z.string(),
  linkId: z.string(),
  by: z.string(),
  decision: ApprovalDecision,
  comment: z.string(),
  planHash: hex64,
  at: z.string(),
})
export type Approval = z.infer<typeof Approval>

/**
 * Body of `POST /api/atlases/:id/approvals`: the decision and the hash of the plan the
 * professional was shown (`planHash`, see shared/plan/layout.ts); a plan that changed since is
 * refused with 409.
 */
export const ApprovalRequest = z.object({
  decision: ApprovalDecision,
  comment: z
    .string({ error: 'comment must be a string' })
    .trim()
    .max(
      MAX_APPROVAL_COMMENT_LENGTH,
      `comment must be at most ${MAX_APPROVAL_COMMENT_LENGTH} characters`,
    )
    .default(''),
  planHash: hex64,
})
export type ApprovalRequest = z.infer<typeof ApprovalRequest>
