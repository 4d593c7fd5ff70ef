// Image folders with a metadata CSV (the Waterbirds / CelebA / WILDS layout).
export { parseCsv, type CsvRecord, type CsvTable } from './csv.ts';
export { codeColumn, SPLIT_PARTS, type CodedColumn, type SplitPart } from './codes.ts';
export { decodeImages, type DecodedImages, type DecodeOptions } from './decode.ts';
export { splitDatasets, splitRows, toDataset, type ImageFolder } from './folder.ts';
export { loadImageFolder, type LoadedImageFolder, type LoadImageFolderOptions } from './load.ts';
export { readMetadata, type ImageFolderSpec, type ImageTable } from './metadata.ts';
