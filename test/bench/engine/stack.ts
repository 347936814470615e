// stack.ts DIR STACK HOSTS CA-MODE KUBECONFIG
// Writes DIR/Pulumi.STACK.yaml: the dev stack's shape (gateway, PKI subject, JWT, backends) with HOSTS hosts
// cycling through the dev stack's hosts (the MUTUAL httpbin and the SIMPLE bookinfo, with their routes), the
// given CA mode, applied to KUBECONFIG with skipAwait (a control plane without nodes). An existing file keeps
// its encryption salt, so growing a stack by one host is a config change only.
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { stackConfig } from "../../../commands/offline/stacks";

export function benchStackConfig(dir: string, hosts: number, caMode: string, kubeconfig: string): Record<string, unknown> {
    const dev = stackConfig("dev", dir) as Record<string, any>;
    const devHosts: any[] = dev["secure-ingress:hosts"];
    return {
        ...dev,
        "secure-ingress:pki": { ...dev["secure-ingress:pki"], caMode },
        "secure-ingress:hosts": Array.from({ length: hosts }, (_, i) => {
            const base = devHosts[i % devHosts.length];
            return { ...base, name: `${base.name}${i}`, host: `h${i}.${base.host}` };
        }),
        "secure-ingress:kubernetes": { kubeconfig, skipAwait: true },
    };
}

function main() {
    const [dir, stack, hosts, caMode, kubeconfig] = process.argv.slice(2);
    if (!dir || !stack || !hosts || !caMode || !kubeconfig) {
        console.error("usage: stack.ts DIR STACK HOSTS CA-MODE KUBECONFIG");
        process.exit(2);
    }
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    const old = fs.existsSync(file) ? (parse(fs.readFileSync(file, "utf8")) ?? {}) : {};
    const doc = { ...old, config: benchStackConfig(dir, Number(hosts), caMode, kubeconfig) };
    fs.writeFileSync(file, stringify(doc));
}

main();
