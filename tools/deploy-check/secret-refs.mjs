// secret-refs.mjs - every Secret key the rendered manifests read (env secretKeyRef, envFrom secretRef, secret volumes
// and their items) must be made by deploy/k8s/new-secrets.sh or be one of the Secrets others make (the operators',
// the certificate); otherwise a pod would wait for a Secret no step of docs/deploy.md creates.
//
//   node secret-refs.mjs MADE.yaml OTHERS RENDERED.yaml...
//
// MADE.yaml: new-secrets.sh's output; OTHERS: comma-separated names of Secrets made elsewhere (any key).
// Exits 1 on a reference nothing makes, 2 on a usage error.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [madeFile, others, ...rendered] = process.argv.slice(2);
if (!process.env.POPINFO_DEPLOY_CHECK_DIR || !madeFile || others === undefined || rendered.length === 0) {
    console.error("usage: POPINFO_DEPLOY_CHECK_DIR=DIR node secret-refs.mjs MADE.yaml OTHERS RENDERED.yaml...");
    process.exit(2);
}
const require = createRequire(join(process.env.POPINFO_DEPLOY_CHECK_DIR, "node_modules", "deploy-check.cjs"));
const YAML = require("yaml");
const objects = (file) => YAML.parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS()).filter(Boolean);

const made = new Map(); // name -> Set of keys
for (const secret of objects(madeFile).filter((o) => o.kind === "Secret")) {
    made.set(secret.metadata.name, new Set(Object.keys({ ...secret.data, ...secret.stringData })));
}
const elsewhere = new Set(others.split(",").filter(Boolean));

const references = []; // [where, name, key|null]
function podSpecOf(object) {
    return object.spec?.template?.spec ?? object.spec?.jobTemplate?.spec?.template?.spec ?? (object.kind === "Pod" ? object.spec : null);
}
for (const file of rendered) {
    for (const object of objects(file)) {
        const pod = podSpecOf(object);
        if (!pod) continue;
        const where = `${object.kind} ${object.metadata.name}`;
        for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
            for (const env of container.env ?? []) {
                const ref = env.valueFrom?.secretKeyRef;
                if (ref && !ref.optional) references.push([`${where}, env ${env.name}`, ref.name, ref.key]);
            }
            for (const from of container.envFrom ?? []) {
                if (from.secretRef && !from.secretRef.optional) references.push([`${where}, envFrom`, from.secretRef.name, null]);
            }
        }
        for (const volume of pod.volumes ?? []) {
            const secret = volume.secret;
            if (!secret || secret.optional) continue;
            if (secret.items) for (const item of secret.items) references.push([`${where}, volume ${volume.name}`, secret.secretName, item.key]);
            else references.push([`${where}, volume ${volume.name}`, secret.secretName, null]);
        }
    }
}

let missing = 0;
for (const [where, name, key] of references) {
    if (elsewhere.has(name)) continue;
    if (made.has(name) && (key === null || made.get(name).has(key))) continue;
    missing++;
    console.log(`FAIL ${where}: Secret ${name}${key ? ` key ${key}` : ""} is made by nothing (new-secrets.sh, or the list: ${[...elsewhere].join(", ")})`);
}
console.log(`${references.length} Secret references checked, ${missing} made by nothing`);
process.exit(missing === 0 && references.length > 0 ? 0 : 1);
