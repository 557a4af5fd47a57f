// check-k8s.mjs - validates every object of rendered Kubernetes manifests (the output of `kubectl kustomize`).
//
//   node check-k8s.mjs CRD_DIR RENDERED.yaml...
//
// Needs the npm packages of package.json installed under $POPINFO_DEPLOY_CHECK_DIR/node_modules (test.sh and
// check.sh do that through deploy/local/infra.sh's ensure_deploy_check). Each object is checked by what its
// apiVersion and kind name:
//   - a built-in kind: kubernetes-models' class for it (types, enums, required fields, formats) and, because those
//     schemas accept any field they do not name, a walk over the class's TypeScript declaration that refuses a field
//     the Kubernetes API does not have (what `kubectl apply --validate=strict` refuses);
//   - an operator's kind: the openAPIV3Schema of its CRD in CRD_DIR, with every object that names its properties and
//     neither allows others nor preserves unknown fields closed (the API server would prune or, strictly, refuse
//     them); its metadata as a built-in ObjectMeta;
//   - any other kind: a failure ("unknown kind").
// Prints one line per object and each problem; exits 1 if any object failed, 2 on a usage error.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const packages = process.env.POPINFO_DEPLOY_CHECK_DIR;
const [crdDir, ...rendered] = process.argv.slice(2);
if (!packages || !crdDir || rendered.length === 0) {
    console.error("usage: POPINFO_DEPLOY_CHECK_DIR=DIR node check-k8s.mjs CRD_DIR RENDERED.yaml...");
    process.exit(2);
}
const modules = join(packages, "node_modules");
const require = createRequire(join(modules, "deploy-check.cjs"));
const YAML = require("yaml");
const Ajv = require("ajv").default;
const models = join(modules, "kubernetes-models");

// ---- the operators' kinds: group/version + kind -> a compiled validator of the CRD's schema, closed
const ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: false });
const crdKinds = new Map();
for (const file of readdirSync(crdDir).filter((f) => /\.ya?ml$/.test(f))) {
    for (const doc of YAML.parseAllDocuments(readFileSync(join(crdDir, file), "utf8"))) {
        const crd = doc.toJS();
        if (crd?.kind !== "CustomResourceDefinition") continue;
        for (const version of crd.spec.versions) {
            const schema = closed(structuredClone(version.schema.openAPIV3Schema));
            crdKinds.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, { file, validate: ajv.compile(schema) });
        }
    }
}

function closed(schema) {
    if (schema && typeof schema === "object") {
        if (schema.properties && schema.additionalProperties === undefined && !schema["x-kubernetes-preserve-unknown-fields"]) {
            schema.additionalProperties = false;
        }
        for (const value of Object.values(schema)) closed(value);
    }
    return schema;
}

// ---- the built-in kinds: kubernetes-models' module for apiVersion + kind
function builtInModule(apiVersion, kind) {
    if (!/^[A-Za-z0-9.-]+(\/[A-Za-z0-9]+)?$/.test(apiVersion) || !/^[A-Za-z0-9]+$/.test(kind)) return null;
    const path = join(models, apiVersion, `${kind}.js`); // "v1" -> v1/, "apps/v1" -> apps/v1/
    return existsSync(path) && existsSync(path.replace(/\.js$/, ".d.ts")) ? path : null;
}

// ---- unknown fields, from the TypeScript declarations kubernetes-models generates from the same OpenAPI document:
// each model's file declares `export interface IName { "field"?: Type; ... }` and imports the types it names.
const declarations = new Map();
function declaration(file) {
    if (declarations.has(file)) return declarations.get(file);
    const text = readFileSync(file, "utf8").replace(/\/\*\*[\s\S]*?\*\//g, "");
    const imports = new Map();
    for (const [, names, from] of text.matchAll(/^import \{ ([^}]+) \} from "([^"]+)";/gm)) {
        const target = from.startsWith(".") ? resolve(dirname(file), from) : join(modules, from);
        for (const name of names.split(",").map((n) => n.trim())) imports.set(name, target.replace(/(\.js)?$/, ".d.ts"));
    }
    const body = text.match(/^export interface I\w+(?: extends [\w, ]+)? \{\n([\s\S]*?)^\}/m)?.[1];
    let fields = null;
    if (body !== undefined) {
        fields = new Map();
        // One field per line at four spaces; a map's type ({ [key: string]: T; }) spans lines until its brace closes.
        for (const [, name, type] of body.matchAll(/^ {4}"([^"]+)"\??: ([^\n]*(?:\n {8}[^\n]*)*(?:\n {4}\};)?)/gm)) {
            fields.set(name, type.replace(/\s+/g, " ").replace(/;$/, "").trim());
        }
    }
    const result = { fields, imports };
    declarations.set(file, result);
    return result;
}

function unknownFields(value, file, path, problems) {
    const { fields, imports } = declaration(file);
    if (fields === null || value === null || typeof value !== "object" || Array.isArray(value)) return;
    for (const [key, child] of Object.entries(value)) {
        if (!fields.has(key)) {
            problems.push(`${path}.${key}: unknown field`);
            continue;
        }
        walkType(fields.get(key), child, imports, `${path}.${key}`, problems);
    }
}

function walkType(type, value, imports, path, problems) {
    type = type.replace(/ \| null$/, "");
    const array = type.match(/^Array<(.+)>$/);
    if (array) {
        if (Array.isArray(value)) value.forEach((item, i) => walkType(array[1], item, imports, `${path}[${i}]`, problems));
        return;
    }
    const map = type.match(/^\{ \[key: string\]: (.+?);? \}$/);
    if (map) {
        if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walkType(map[1], v, imports, `${path}.${k}`, problems);
        return;
    }
    if (imports.has(type) && existsSync(imports.get(type))) unknownFields(value, imports.get(type), path, problems);
    // Anything else is a primitive, a literal or a type alias (Quantity, IntOrString, Time): nothing below it.
}

const objectMeta = join(modules, "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta.d.ts");

// ---- check every object of every rendered file
let failed = 0;
let checked = 0;
for (const file of rendered) {
    const documents = YAML.parseAllDocuments(readFileSync(file, "utf8"));
    for (const document of documents) {
        if (document.errors.length > 0) {
            console.log(`FAIL ${file}: YAML: ${document.errors[0].message}`);
            failed++;
            continue;
        }
        const object = document.toJS();
        if (object === null) continue;
        checked++;
        const name = `${object.apiVersion ?? "?"} ${object.kind ?? "?"} ${object.metadata?.namespace ? object.metadata.namespace + "/" : ""}${object.metadata?.name ?? "?"}`;
        const problems = [];
        const modulePath = builtInModule(String(object.apiVersion ?? ""), String(object.kind ?? ""));
        const crd = crdKinds.get(`${object.apiVersion} ${object.kind}`);
        let by;
        if (modulePath) {
            by = "kubernetes-models";
            const exports = await import(pathToFileURL(modulePath));
            const Model = exports[object.kind];
            try {
                new Model(object).validate();
            } catch (error) {
                problems.push(error.message);
            }
            unknownFields(object, modulePath.replace(/\.js$/, ".d.ts"), "", problems);
        } else if (crd) {
            by = crd.file;
            if (!crd.validate(object)) {
                for (const e of crd.validate.errors) {
                    const extra = e.keyword === "additionalProperties" ? ` (unknown field "${e.params.additionalProperty}")` : "";
                    problems.push(`${e.instancePath || "/"} ${e.message}${extra}`);
                }
            }
            unknownFields(object.metadata ?? {}, objectMeta, ".metadata", problems);
        } else {
            by = "nothing";
            problems.push(`unknown kind: neither built in (kubernetes-models) nor defined by a CRD in ${crdDir}`);
        }
        if (problems.length === 0) {
            console.log(`ok   ${name} (${by})`);
        } else {
            failed++;
            console.log(`FAIL ${name} (${by}), in ${file}:`);
            for (const problem of problems) console.log(`       ${problem}`);
        }
    }
}
console.log(`${checked} objects checked, ${failed} failed`);
process.exit(failed === 0 && checked > 0 ? 0 : 1);
