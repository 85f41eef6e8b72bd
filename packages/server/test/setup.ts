import { removeTempDirs } from '@sluice/testkit';
import { afterAll } from 'vitest';

// After each test file: the temporary directories its tests made go (see removeTempDirs).
afterAll(removeTempDirs);
