// One benchmark case in a fresh process: evaluate the program under mocks for N hosts, print JSON.
import { performance } from "perf_hooks";
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

async function main() {
    const [hosts, caMode] = [Number(process.argv[2]), process.argv[3] as "per-host" | "shared"];
    const config = benchConfig(hosts, caMode);
    const start = performance.now();
    const run = await runProgram(config, "bench");
    const ms = performance.now() - start;
    const maxRssMiB = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify({ hosts, caMode, ms, resources: run.resources.length, maxRssMiB }));
}

if (require.main === module) {
    main().catch((e) => {
        console.error(e);
        process.exit(1);
    });
}
