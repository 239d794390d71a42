// ES module face of components.js (see that file's header): importing it runs components.js
// once, which puts the functions on globalThis.enhancerComponents, and re-exports them.
import './components.js';

export const {createComparison, createRecipeTable} = globalThis.enhancerComponents;
