// The fleet file's validation: every problem at once, by key path, with the value as written and the fix; the
// defaults; paths anchored at the fleet file. Real files in a scratch folder stand for the referenced files.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FleetFileError, parseFleet, readFleet } from "../../commands/fleet/schema";
import { repoRoot } from "../support/harness";

describe("fleet file", () => {
    let dir: string;
    let file: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-schema-"));
        file = path.join(dir, "fleet.yaml");
        fs.writeFileSync(path.join(dir, "Pulumi.base.yaml"), "config: {}\n");
        fs.writeFileSync(path.join(dir, "a.kubeconfig"), "apiVersion: v1\n");
        fs.mkdirSync(path.join(dir, "policy"));
        fs.writeFileSync(path.join(dir, "policy", "PulumiPolicy.yaml"), "runtime: nodejs\n");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const problems = (text: string): string[] => {
        try {
            parseFleet(text, file);
        } catch (e) {
            assert.ok(e instanceof FleetFileError, `not a FleetFileError: ${e}`);
            const lines = e.message.split("\n");
            assert.strictEqual(lines[0], `invalid fleet file ${file} (${e.problems.length} problem${e.problems.length === 1 ? "" : "s"}):`);
            return lines.slice(1);
        }
        assert.fail("the fleet file was accepted");
    };

    it("applies the defaults: policy pack, .fleet work dir, one at a time, stop on failure, canary then the rest", () => {
        const f = parseFleet("defaults: {config: Pulumi.base.yaml}\nstacks: [{name: a}, {name: b}, {name: c}]\n", file);
        assert.strictEqual(f.policyPack, path.join(dir, "policy"));
        assert.strictEqual(f.workDir, path.join(dir, ".fleet"));
        assert.strictEqual(f.maxParallel, 1);
        assert.strictEqual(f.onFailure, "stop");
        assert.deepStrictEqual(f.waves, [
            { name: "canary", stacks: ["a"] },
            { name: "rest", stacks: ["b", "c"] },
        ]);
        assert.deepStrictEqual(
            f.stacks.map((s) => s.configFile),
            ["a", "b", "c"].map(() => path.join(dir, "Pulumi.base.yaml")),
        );
    });

    it("a one-stack fleet is one canary wave", () => {
        assert.deepStrictEqual(parseFleet("defaults: {config: Pulumi.base.yaml}\nstacks: [{name: only}]\n", file).waves, [
            { name: "canary", stacks: ["only"] },
        ]);
    });

    it("resolves paths against the fleet file, merges overrides over the defaults' and turns the shorthands into key paths", () => {
        const f = parseFleet(
            [
                "defaults:",
                "  config: Pulumi.base.yaml",
                "  kubeconfig: a.kubeconfig",
                "  overrides: {kubernetes.skipAwait: true, gateway.replicas: 2}",
                "stacks:",
                "  - name: one",
                "    context: ctx-one",
                "    overrides: {gateway.replicas: 3, 'hosts[0].tls': MUTUAL}",
                "  - name: two",
                "policyPack: false",
                "workDir: ../elsewhere",
            ].join("\n"),
            file,
        );
        assert.strictEqual(f.policyPack, undefined);
        assert.strictEqual(f.workDir, path.resolve(dir, "..", "elsewhere"));
        assert.deepStrictEqual(f.stacks[0].overrides, {
            "kubernetes.skipAwait": true,
            "gateway.replicas": 3,
            "hosts[0].tls": "MUTUAL",
            "kubernetes.kubeconfig": path.join(dir, "a.kubeconfig"),
            "kubernetes.context": "ctx-one",
        });
        assert.deepStrictEqual(f.stacks[1].overrides, {
            "kubernetes.skipAwait": true,
            "gateway.replicas": 2,
            "kubernetes.kubeconfig": path.join(dir, "a.kubeconfig"),
        });
    });

    it("names every bad key of the shape at once", () => {
        assert.deepStrictEqual(
            problems(
                [
                    "backend: /var/state",
                    "colour: red",
                    "stacks:",
                    "  - name: 'bad name'",
                    "    config: Pulumi.base.yaml",
                    "    kubeconfg: x",
                    "  - name: ok",
                    "    overrides: {'secure-ingress:gateway.name': x}",
                    "rollout: {maxParallel: 0, onFailure: halt, waves: []}",
                ].join("\n"),
            ),
            [
                `  - backend: "/var/state" must be a backend URL such as file:///var/state or s3://bucket`,
                `  - stacks[0].name: "bad name" must be a Pulumi stack name: letters, digits, '-', '_' and '.' (optionally org/ or org/project/ in front)`,
                `  - stacks[0].kubeconfg: "x" is not a field of the fleet file; remove it or fix its spelling (the format is in README.md)`,
                `  - stacks[1].overrides.secure-ingress:gateway.name: "secure-ingress:gateway.name" has a key that is not a secure-ingress key path such as kubernetes.context or hosts[0].tls (no secure-ingress: prefix)`,
                `  - rollout.maxParallel: 0 must be 1 or more`,
                `  - rollout.onFailure: "halt" must be one of "stop", "continue"`,
                `  - rollout.waves: [] needs at least one wave`,
                `  - colour: "red" is not a field of the fleet file; remove it or fix its spelling (the format is in README.md)`,
            ],
        );
    });

    it("a file with no stacks, or not a map, says what is missing", () => {
        assert.deepStrictEqual(problems(""), ["  - stacks: (not set) expected array, received undefined"]);
        assert.deepStrictEqual(problems("stacks: []"), ["  - stacks: [] needs at least one stack"]);
        assert.deepStrictEqual(problems("- a\n- b"), ['  - (file): ["a","b"] expected object, received array']);
        assert.deepStrictEqual(problems("stacks: [a: b"), [
            "  - (file): is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 14:",
        ]);
    });

    it("checks what the keys refer to: files, the policy pack, unique names, every stack in exactly one wave", () => {
        assert.deepStrictEqual(
            problems(
                [
                    "policyPack: nopack",
                    "stacks:",
                    "  - {name: a, config: missing.yaml}",
                    "  - {name: a, kubeconfig: gone.kubeconfig}",
                    "  - {name: b, config: Pulumi.base.yaml}",
                    "  - {name: c, config: Pulumi.base.yaml}",
                    "rollout:",
                    "  waves:",
                    "    - {name: w, stacks: [a, zz]}",
                    "    - {name: w, stacks: [a]}",
                ].join("\n"),
            ),
            [
                `  - stacks[1].name: "a" repeats stacks[0].name; give every stack its own name`,
                `  - stacks[0].config: "missing.yaml" names no file (looked for ${dir}/missing.yaml); fix the path, relative to the fleet file`,
                `  - stacks[1].kubeconfig: "gone.kubeconfig" names no file (looked for ${dir}/gone.kubeconfig); fix the path, relative to the fleet file`,
                `  - stacks[1].config: (not set) is needed (or defaults.config): the stack config file it starts from`,
                `  - policyPack: "nopack" is not a policy pack folder (no ${dir}/nopack/PulumiPolicy.yaml); fix the path, or set false to run none`,
                `  - rollout.waves[0].stacks[1]: "zz" is not a stack of this fleet; stacks: a, a, b, c`,
                `  - rollout.waves[1].name: "w" repeats an earlier wave's name; give every wave its own name`,
                `  - rollout.waves[1].stacks[0]: "a" is already in wave "w"; put every stack in exactly one wave`,
                `  - stacks[2].name: "b" is in no wave; add it to one of rollout.waves[].stacks`,
                `  - stacks[3].name: "c" is in no wave; add it to one of rollout.waves[].stacks`,
            ],
        );
    });

    it("an unreadable fleet file is one problem naming it", () => {
        const missing = path.join(dir, "nope.yaml");
        assert.throws(
            () => readFleet(missing),
            (e: Error) =>
                e.message ===
                `invalid fleet file ${missing} (1 problem):\n  - (file): "${missing}" cannot be read (ENOENT); give the path of a fleet file`,
        );
    });

    it("the shipped example is valid once its clusters' kubeconfigs exist", () => {
        const example = path.join(repoRoot, "fleet.example.yaml");
        const text = fs.readFileSync(example, "utf8");
        const copy = path.join(dir, "example", "fleet.example.yaml");
        fs.mkdirSync(path.join(dir, "example", "clusters"), { recursive: true });
        fs.writeFileSync(copy, text);
        for (const f of ["Pulumi.dev.yaml", "Pulumi.sds.yaml"]) {
            fs.copyFileSync(path.join(repoRoot, f), path.join(dir, "example", f));
        }
        fs.cpSync(path.join(dir, "policy"), path.join(dir, "example", "policy"), { recursive: true });
        assert.throws(() => parseFleet(text, copy), /names no file .*eu-west\.kubeconfig/);
        for (const c of ["eu-west", "eu-central", "us-east"]) {
            fs.writeFileSync(path.join(dir, "example", "clusters", `${c}.kubeconfig`), "apiVersion: v1\n");
        }
        const f = parseFleet(text, copy);
        assert.deepStrictEqual(
            f.waves.map((w) => w.stacks),
            [["eu-west-canary"], ["eu-central", "us-east"]],
        );
        assert.strictEqual(f.maxParallel, 2);
    });
});
