// An appliance image of one's own, chosen or dropped with its appliance.json: checked before anything boots or is
// saved, so a wrong file gets a clear error and nothing else changes. Loaded when files arrive.
import { checkImage, defaultManifest, ManifestError, parseManifest } from '../worker/manifest.ts';
import { ownSpec } from './own-image.ts';
import type { Offer } from './trust.ts';

const TRY_AGAIN =
  'Choose the .elf that `tabcloud build` wrote (with its appliance.json), or an exported .tabcloud file.';

/** The offer of the image among `files` (one .elf, at most one .json); throws a ManifestError that says what to do. */
export async function offerFromFiles(files: File[]): Promise<Offer> {
  const manifests = files.filter((file) => /\.json$/i.test(file.name));
  const images = files.filter((file) => !manifests.includes(file));
  if (images.length !== 1 || manifests.length > 1) throw new ManifestError('bad-image', wrongCount(images, manifests));
  const image = images[0]!;
  const bytes = await image.bytes();
  try {
    checkImage(bytes, image.name);
  } catch (error) {
    throw new ManifestError('bad-image', `${(error as Error).message} ${TRY_AGAIN}`);
  }
  const json = manifests[0];
  let manifest;
  try {
    manifest = json ? parseManifest(await json.text(), json.name) : defaultManifest(image.name);
  } catch (error) {
    throw new ManifestError('bad-manifest', `${(error as Error).message}. Fix it, then choose both files again.`);
  }
  return {
    spec: ownSpec(manifest),
    source: { kind: 'file', detail: json ? `${image.name} with ${json.name}` : image.name },
    own: json ? { image: bytes } : { image: bytes, defaults: true },
  };
}

/** Why these files are not one image and at most one manifest. */
function wrongCount(images: File[], manifests: File[]): string {
  const names = (list: File[]): string => list.map((file) => file.name).join(', ');
  if (images.length === 0) {
    return `${names(manifests)} alone is no appliance: choose or drop it together with its .elf image.`;
  }
  if (images.length > 1) return `Choose one appliance image at a time (these are ${images.length}: ${names(images)}).`;
  return `Choose one appliance.json with the image, not ${manifests.length} (${names(manifests)}).`;
}
