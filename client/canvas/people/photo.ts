import { isPhotoDataUrl } from '../../../shared/schema/person'

/** Longest side of a stored photo, in pixels. */
export const PHOTO_SIZE = 256
const JPEG_QUALITY = 0.85

function loadImage(file: Blob): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(file)
  return new Promise<HTMLImageElement>((resolve, reject) => {
    const img = new Image()
    img.onload = () => resolve(img)
    img.onerror = () => reject(new Error('the file is not an image the browser can read'))
    img.src = url
  }).finally(() => URL.revokeObjectURL(url))
}

/**
 * Makes a small photo of an image file, in the browser: the middle square of the image,
 * scaled down to at most PHOTO_SIZE × PHOTO_SIZE, as a JPEG data URL. The person's card shows
 * it in a circle, so the square loses nothing that would be seen.
 */
export async function photoFromFile(file: Blob): Promise<string> {
  if (file.type && !file.type.startsWith('image/')) throw new Error('not an image')
  const img = await loadImage(file)
  const side = Math.min(img.naturalWidth, img.naturalHeight)
  if (side < 1) throw new Error('the image is empty')
  const size = Math.min(PHOTO_SIZE, side)
  const canvas = document.createElement('canvas')
  canvas.width = size
  canvas.height = size
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new Error('no 2d canvas')
  // JPEG has no transparency: a transparent PNG gets a white background, not a black one.
  ctx.fillStyle = '#ffffff'
  ctx.fillRect(0, 0, size, size)
  ctx.imageSmoothingQuality = 'high'
  const sx = (img.naturalWidth - side) / 2
  const sy = (img.naturalHeight - side) / 2
  ctx.drawImage(img, sx, sy, side, side, 0, 0, size, size)
  const url = canvas.toDataURL('image/jpeg', JPEG_QUALITY)
  if (!isPhotoDataUrl(url)) throw new Error('the photo is too large')
  return url
}
