// `images "metadata.csv" { file, root, label, split, attributes [..], size [h, w], channels }`: a folder of
// images with a metadata CSV (the Waterbirds / CelebA / WILDS layout), read by runtime/data/image-folder.
// The recorded attributes become per-example attributes (usable in groups, balanced_by, DFR) like a tint's.
import { splitDatasets, toDataset } from '../image-folder/folder.ts';
import { loadImageFolder } from '../image-folder/load.ts';
import { readMetadata, type ImageFolderSpec } from '../image-folder/metadata.ts';
import type { InputFile } from '../../input-files.ts';
import type { Params } from '../specs.ts';
import { count, num, required, text } from '../../schema.ts';
import { holdOutTest } from './held-out.ts';
import type { LoadedSource } from './loaded.ts';
import { declaredClasses, heldOut, path, validation, type SourceDef } from './source.ts';

/** The image-folder module's spec from a checked source's params. */
export function imageFolderSpec(params: Params): ImageFolderSpec {
  const size = params.size as number[] | undefined;
  return {
    csv: params.path as string,
    file: params.file as string,
    root: params.root as string | undefined,
    label: params.label as string,
    classes: params.classes as number | undefined,
    split: params.split as string | undefined,
    attributes: (params.attributes as string[] | undefined) ?? [],
    size: size && [size[0], size[1]],
    channels: params.channels as 1 | 3,
  };
}

async function loadImages(params: Params, seed: number): Promise<LoadedSource> {
  const folder = await loadImageFolder(imageFolderSpec(params));
  // A split column names every row's part; without one, test (and later val) are held out by seed.
  if (folder.table.split) return splitDatasets(folder);
  return holdOutTest(toDataset(folder), params, 'images', seed);
}

export const images: SourceDef = {
  doc: 'a folder of images with a metadata CSV (file, label, split and attribute columns)',
  attributes: {
    file: required(text("the column with each image's path, relative to `root`")),
    root: {
      type: { type: 'string', path: 'folder' },
      doc: "the folder image paths are relative to (default: the CSV's folder)",
    },
    label: required(text('the label column (integers 0..k-1, or values numbered in sorted order)')),
    split: text('the split column (0/1/2 or train/val/test); without it, `test` and `val` are held out'),
    attributes: { type: { type: 'nameList' }, doc: 'columns recorded per example: usable in groups, balanced_by, DFR' },
    size: {
      type: { type: 'numberList', integer: true, min: 1, length: 2 },
      doc: "[height, width] every image is resized to (default: the first image's size)",
    },
    channels: num('1 (grey) or 3 (RGB)', { integer: true, values: [1, 3] }, 3),
    classes: count('number of classes (default: read from the label column)', undefined, 2),
    test: heldOut,
    val: validation,
  },
  positional: [path('path', 'the metadata CSV')],
  shape: (params) => {
    const size = params.size as number[] | undefined;
    return size
      ? { kind: 'image', height: size[0], width: size[1], channels: params.channels as number }
      : { kind: 'unknown' };
  },
  // The CSV and every image it names: editing any of them re-runs the load and what reads it.
  inputFiles(params): InputFile[] {
    const csv: InputFile = { param: 'path', path: params.path as string };
    try {
      return [csv, ...readMetadata(imageFolderSpec(params)).files.map((path) => ({ param: 'path', path }))];
    } catch {
      return [csv]; // an unreadable or malformed CSV: reported by check or the load
    }
  },
  records: (params) => (params.attributes as string[] | undefined) ?? [],
  classes: declaredClasses,
  load: loadImages,
};
