import { afterAll } from 'vitest';
import { removeTempDirs } from '../src/index.js';

// After each test file: the temporary directories its tests made go (see removeTempDirs).
afterAll(removeTempDirs);
