// Jest's module loader cannot require ES modules before Node 24.9, and NestJS 12 ships only
// ES modules. Production loads them natively (Node >= 20.19 require(esm)); under Jest this
// transformer compiles those packages to CommonJS. `import.meta.url` has no CommonJS
// equivalent in the TypeScript emit, so it is replaced by the file's URL first. A module-level
// `const require = createRequire(import.meta.url)` would redeclare CommonJS's own `require`: dropped;
// `import.meta.resolve` and `import.meta.dirname` have CommonJS twins.
const ts = require('typescript');
const { createHash } = require('node:crypto');

module.exports = {
  process(sourceText, sourcePath) {
    const source = sourceText
      .replace(/^const require = createRequire\(import\.meta\.url\);$/m, '')
      .replace(/\bimport\.meta\.resolve\(/g, 'require.resolve(')
      .replace(/\bimport\.meta\.dirname\b/g, '__dirname')
      .replace(/\bimport\.meta\.url\b/g, "require('node:url').pathToFileURL(__filename).href");
    const { outputText } = ts.transpileModule(source, {
      fileName: sourcePath,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, allowJs: true, esModuleInterop: true },
    });
    return { code: outputText };
  },
  getCacheKey(sourceText, sourcePath) {
    return createHash('sha256').update('esm-to-cjs-v3').update(sourcePath).update(sourceText).digest('hex');
  },
};
