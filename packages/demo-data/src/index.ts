export { generateWorld, SCALES, DEMO_NOTICE, type DemoWorld, type Scale } from './world.ts';
export { EAST_JAVA_REGENCIES, regencyDisplayName, type RegencyRecord } from './regencies.ts';
export { demoId } from './random.ts';
export * from './types.ts';
export * from './academics.ts';
export * from './partners.ts';
export * from './media.ts';
export { Random } from './random.ts';
