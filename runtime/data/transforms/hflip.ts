// `hflip { p 0.5 }`: mirror images left to right.
import { horizontalFlip } from '../image.ts';
import { flipTransform } from './warp.ts';

export const hflip = flipTransform('hflip', horizontalFlip, 'horizontal flip');
