// One benchmark case in a fresh process: evaluate the program under mocks for N hosts, print JSON.
// `floor N`: the SDK alone, N bare Secrets under the same mocks (what any program of N resources pays).
import { performance } from "perf_hooks";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { parseConfig } from "../../components/config/parse";
import { runProgram } from "../support/harness";

export function benchConfig(hosts: number, caMode: "per-host" | "shared") {
    return parseConfig({
        hosts: Array.from({ length: hosts }, (_, i) => ({
            name: `h${i}`,
            host: `h${i}.bench.example.com`,
            tls: i % 2 === 0 ? "MUTUAL" : "SIMPLE",
            routes: [{ match: [{ prefix: "/status" }], destination: { host: "httpbin", port: 8000 } }],
        })),
        gateway: { workload: "managed", secretDelivery: "mounted", http: { enabled: true } },
        pki: { caMode },
        jwt: { enabled: true, issuer: "bench@secure-ingress", selfIssued: { enabled: true } },
    });
}

async function sdkFloor(resources: number): Promise<number> {
    await pulumi.runtime.setMocks(
        { newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: (args) => args.inputs },
        "secure-ingress",
        "bench",
        false,
    );
    const provider = new k8s.Provider("k8s", { renderYamlToDirectory: "rendered/bench" });
    for (let i = 1; i < resources; i++) {
        new k8s.core.v1.Secret(`s${i}`, { metadata: { name: `s${i}`, namespace: "istio-system" }, stringData: { k: "v" } }, { provider });
    }
    await pulumi.runtime.awaitStackRegistrations?.();
    return resources;
}

async function main() {
    let result: Record<string, unknown>;
    let start: number;
    // CPU time next to wall time: on a shared machine it is the steadier figure.
    const cpu0 = process.cpuUsage();
    if (process.argv[2] === "floor") {
        start = performance.now();
        const resources = await sdkFloor(Number(process.argv[3]));
        result = { hosts: 0, caMode: "floor", resources };
    } else {
        const [hosts, caMode] = [Number(process.argv[2]), process.argv[3] as "per-host" | "shared"];
        const config = benchConfig(hosts, caMode);
        start = performance.now();
        const run = await runProgram(config, "bench");
        result = { hosts, caMode, resources: run.resources.length };
    }
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpu0);
    const maxRssMiB = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify({ ...result, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMiB }));
}

if (require.main === module) {
    main().catch((e) => {
        console.error(e);
        process.exit(1);
    });
}
