import {
  HistoryComparison,
  HistoryList,
  RestoreResponse,
  type SnapshotContent,
} from '../../shared/api/history'
import { callAtlas } from '../lib/api'

/** What the history calls need: the atlas and this page's secret. */
export interface HistoryAccess {
  id: string
  token: string
}

/** The snapshots the server keeps of the maps, newest first (edit links only). */
export async function listSnapshots(access: HistoryAccess): Promise<HistoryList> {
  return HistoryList.parse(await callAtlas(access.id, access.token, 'GET', '/history'))
}

/** What the maps held at one snapshot. */
export async function readSnapshot(
  access: HistoryAccess,
  snapshotId: string,
): Promise<SnapshotContent> {
  return (await callAtlas(
    access.id,
    access.token,
    'GET',
    `/history/${encodeURIComponent(snapshotId)}`,
  )) as SnapshotContent
}

/** One snapshot held against the atlas as it is now. */
export async function compareSnapshot(
  access: HistoryAccess,
  snapshotId: string,
): Promise<HistoryComparison> {
  return HistoryComparison.parse(
    await callAtlas(
      access.id,
      access.token,
      'GET',
      `/history/${encodeURIComponent(snapshotId)}/compare`,
    ),
  )
}

/** Puts one person (with his relations), or the whole atlas, back as it was at a snapshot. */
export async function restoreSnapshot(
  access: HistoryAccess,
  snapshotId: string,
  personId?: string,
): Promise<RestoreResponse> {
  return RestoreResponse.parse(
    await callAtlas(
      access.id,
      access.token,
      'POST',
      `/history/${encodeURIComponent(snapshotId)}/restore`,
      personId === undefined ? {} : { personId },
    ),
  )
}
