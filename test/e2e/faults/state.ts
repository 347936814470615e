// state.ts COMMAND < `pulumi stack export --show-secrets` (for the fault runs, test/e2e/faults.sh)
//   material              one line per tls resource in the state: URN, then the certificate's serial (certPem) or
//                         the SHA-256 of the key's public key (publicKeyPem): what must survive a fault unchanged
//   health                resources, distinct URNs, pending operations (with their type and URN); exit 1 when a
//                         URN is listed twice
//   shift-renewal MINUTES the same state with every leaf certificate's validityEndTime moved to now + MINUTES
//                         (what the tls provider compares its clock with), on stdout, for `pulumi stack import`
import { createHash, X509Certificate } from "crypto";
import * as fs from "fs";

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";

/** A secret in an exported state is {sig, plaintext: JSON text}. */
function reveal(v: unknown): unknown {
    if (v !== null && typeof v === "object" && SECRET_SIG_KEY in (v as object)) {
        return JSON.parse((v as { plaintext: string }).plaintext);
    }
    return v;
}

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const resources: any[] = input.deployment?.resources ?? [];
const [cmd, arg] = process.argv.slice(2);

if (cmd === "material") {
    for (const r of resources) {
        const o = r.outputs ?? {};
        if (r.type === "tls:index/privateKey:PrivateKey") {
            const pub = String(reveal(o.publicKeyPem) ?? "");
            console.log(`${r.urn} key ${createHash("sha256").update(pub).digest("hex").slice(0, 16)}`);
        } else if (r.type.startsWith("tls:index/") && r.type.endsWith("Cert") && o.certPem) {
            console.log(`${r.urn} cert ${new X509Certificate(String(reveal(o.certPem))).serialNumber}`);
        }
    }
} else if (cmd === "health") {
    const urns = resources.map((r) => r.urn);
    const pending: any[] = input.deployment?.pending_operations ?? [];
    console.log(`${resources.length} resources, ${new Set(urns).size} distinct URNs, ${pending.length} pending operations`);
    for (const p of pending) {
        console.log(`  pending ${p.type}: ${p.resource?.urn}`);
    }
    const dup = urns.filter((u, i) => urns.indexOf(u) !== i);
    for (const u of dup) {
        console.log(`  TWICE: ${u}`);
    }
    process.exit(dup.length > 0 ? 1 : 0);
} else if (cmd === "shift-renewal") {
    const end = new Date(Date.now() + Number(arg) * 60000).toISOString();
    let n = 0;
    for (const r of resources) {
        if (r.type === "tls:index/locallySignedCert:LocallySignedCert" && r.outputs?.isCaCertificate === false) {
            r.outputs.validityEndTime = end;
            n++;
        }
    }
    console.error(`${n} leaf certificates now end at ${end} in the state`);
    process.stdout.write(JSON.stringify(input));
} else {
    console.error("usage: state.ts material|health|shift-renewal MINUTES < exported-state.json");
    process.exit(2);
}
