// Validates rendered manifests: every object against its published schema (kubernetes-models for the Kubernetes
// API, @kubernetes-models/cloudnative-pg for CloudNativePG), then the rules this deployment promises.
// Usage: node validate.mjs <overlay-name> < rendered.yaml
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, stringify } from "yaml";

const overlay = process.argv[2] ?? "unknown";
const docs = parseAllDocuments(readFileSync(0, "utf8")).map((d) => d.toJS()).filter(Boolean);
const problems = [];
const fail = (obj, message) => problems.push(`${obj.kind}/${obj.metadata?.name}: ${message}`);

async function modelOf(apiVersion, kind) {
  const module = apiVersion.startsWith("postgresql.cnpg.io/")
    ? `@kubernetes-models/cloudnative-pg/${apiVersion}`
    : apiVersion.startsWith("monitoring.coreos.com/")
      ? `@kubernetes-models/prometheus-operator/${apiVersion}`
      : `kubernetes-models/${apiVersion}`;
  try {
    return (await import(module))[kind];
  } catch {
    return undefined;
  }
}

for (const obj of docs) {
  const Model = await modelOf(obj.apiVersion, obj.kind);
  if (!Model) {
    fail(obj, `no schema for ${obj.apiVersion} ${obj.kind}`);
    continue;
  }
  try {
    new Model(obj).validate();
  } catch (e) {
    fail(obj, e.message);
  }
}

const byKind = (kind) => docs.filter((o) => o.kind === kind);
const named = (kind, name) => docs.find((o) => o.kind === kind && o.metadata.name === name);

// Secrets are referenced, never rendered.
byKind("Secret").forEach((s) => fail(s, "a Secret is rendered; reference it instead"));

for (const d of byKind("Deployment")) {
  const pod = d.spec.template.spec;
  if (pod.securityContext?.runAsNonRoot !== true) fail(d, "pod must run as non-root");
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
    const sc = c.securityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true) fail(d, `${c.name}: root filesystem must be read-only`);
    if (sc.allowPrivilegeEscalation !== false) fail(d, `${c.name}: privilege escalation must be off`);
    if (!c.resources?.requests || !c.resources?.limits) fail(d, `${c.name}: resource requests and limits required`);
    for (const e of c.env ?? []) {
      if (/PASSWORD|SECRET/.test(e.name) && e.value !== undefined) fail(d, `${c.name}: ${e.name} is inlined`);
    }
  }
  for (const c of pod.containers) {
    if (c.readinessProbe?.httpGet?.path !== "/q/health/ready") fail(d, `${c.name}: readiness probe on /q/health/ready`);
    if (c.livenessProbe?.httpGet?.path !== "/q/health/live") fail(d, `${c.name}: liveness probe on /q/health/live`);
  }
  if (!named("PodDisruptionBudget", d.metadata.name)) fail(d, "no PodDisruptionBudget");
  if (!named("Service", d.metadata.name)) fail(d, "no Service");
  if (!named("ServiceAccount", pod.serviceAccountName)) fail(d, "no ServiceAccount");
  if (!named("ConfigMap", d.metadata.name)) fail(d, "no ConfigMap");
}
if (!named("HorizontalPodAutoscaler", "routing-service")) problems.push("no HorizontalPodAutoscaler for the router");
for (const db of ["routing-db", "review-db", "audit-db"]) {
  if (!named("Cluster", db)) problems.push(`no CloudNativePG Cluster ${db}`);
  if (!named("NetworkPolicy", `${db}-ingress`)) problems.push(`no NetworkPolicy for ${db}`);
}
const audit = named("NetworkPolicy", "audit-service-ingress");
const auditPods = audit?.spec.ingress.flatMap((r) => r.from.map((f) => f.podSelector?.matchLabels?.["app.kubernetes.io/name"]))
  .filter(Boolean).sort();
// The console reaches the services too, but only as the signed-in person: its calls never carry the service role
// that the intakes (POST /v1/events, POST /v1/tasks) require.
if (JSON.stringify(auditPods) !== JSON.stringify(["console", "review-service", "routing-service"])) {
  problems.push(`only the router, the review service and the console may reach the audit service, found ${auditPods}`);
}
// Apps name callback URLs: the router's way out reaches the internet on 443, never the addresses inside.
const egress = named("NetworkPolicy", "routing-service-egress");
if (!egress?.spec.policyTypes?.includes("Egress")) {
  problems.push("no egress NetworkPolicy for the router");
} else {
  const blocks = egress.spec.egress.flatMap((r) => (r.to ?? []).map((t) => t.ipBlock).filter(Boolean));
  const v4 = blocks.find((b) => b.cidr === "0.0.0.0/0");
  for (const inside of ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10",
    "127.0.0.0/8"]) {
    if (!v4?.except?.includes(inside)) problems.push(`router egress: the internet rule must except ${inside}`);
  }
  for (const b of blocks) {
    const rule = egress.spec.egress.find((r) => (r.to ?? []).some((t) => t.ipBlock === b));
    if ((rule.ports ?? []).length === 0 || rule.ports.some((p) => p.port !== 443)) {
      problems.push(`router egress: ${b.cidr} only on port 443`);
    }
  }
}
const review = named("NetworkPolicy", "review-service-ingress");
const reviewPods = review?.spec.ingress.flatMap((r) => r.from.map((f) => f.podSelector?.matchLabels?.["app.kubernetes.io/name"]))
  .filter(Boolean).sort();
if (JSON.stringify(reviewPods) !== JSON.stringify(["console", "routing-service"])) {
  problems.push(`only the router and the console may reach the review service among services, found ${reviewPods}`);
}

// The audit log's owner may switch its append-only triggers off: only the migration step may hold its secret.
const auditPod = named("Deployment", "audit-service")?.spec.template.spec;
for (const c of auditPod?.containers ?? []) {
  const secrets = [...(c.env ?? []).map((e) => e.valueFrom?.secretKeyRef?.name), ...(c.envFrom ?? []).map((e) => e.secretRef?.name)];
  if (secrets.includes("audit-db-app")) problems.push(`audit-service: container ${c.name} holds the database owner's secret`);
  if ((c.env ?? []).some((e) => /OWNER/.test(e.name))) problems.push(`audit-service: container ${c.name} has owner credentials`);
}
if (!(auditPod?.initContainers ?? []).some((c) => (c.env ?? []).some((e) => e.name === "QUARKUS_FLYWAY_MIGRATE_AT_START"))) {
  problems.push("audit-service: no init container runs the migrations");
}

if (overlay === "prod") {
  for (const name of ["routing-service", "review-service", "console"]) {
    const d = named("Deployment", name);
    if (!(d.spec.replicas >= 2)) fail(d, "prod needs at least 2 replicas");
    if (!d.spec.template.spec.affinity?.podAntiAffinity) fail(d, "prod needs pod anti-affinity");
  }
  const a = named("Deployment", "audit-service");
  const key = a.spec.template.spec.volumes.find((v) => v.name === "checkpoint-key");
  if (!key?.secret?.secretName) fail(a, "prod takes the checkpoint key from a Secret");
  if (!(named("HorizontalPodAutoscaler", "routing-service").spec.minReplicas >= 2)) problems.push("prod HPA minReplicas < 2");
}

// Alerting rules: the ones the operations guide promises, checked and unit-tested by Prometheus's own promtool.
const ALERTS = ["OversightDriftDetected", "OversightUseCaseHalted", "OversightRecalibrationPending",
  "OversightReviewSlaBreaches",
  "OversightReviewQueueGrowing", "OversightOutboxBacklog", "OversightOutboxDeadRows", "OversightWitnessRefused",
  "OversightCheckpointSignatureInvalid", "ReviewerCoverageGap", "SeriousIncidentReportDue"];
const rule = named("PrometheusRule", "oversight");
if (!rule) {
  problems.push("no PrometheusRule oversight");
} else {
  const alerts = rule.spec.groups.flatMap((g) => g.rules.map((r) => r.alert));
  ALERTS.filter((a) => !alerts.includes(a)).forEach((a) => problems.push(`PrometheusRule: no alert ${a}`));
  let promtool = true;
  try {
    execFileSync("promtool", ["--version"], { stdio: "ignore" });
  } catch {
    promtool = false;
  }
  if (!promtool) {
    if (process.env.OVERSIGHT_REQUIRE_K8S_CHECK === "true") problems.push("promtool not found (apt-get install prometheus)");
    else console.error("WARNING: alerting rules NOT checked: promtool not found (apt-get install prometheus)");
  } else {
    const dir = mkdtempSync(join(tmpdir(), "oversight-rules-"));
    writeFileSync(join(dir, "rules.yaml"), stringify({ groups: rule.spec.groups }));
    copyFileSync(join(dirname(fileURLToPath(import.meta.url)), "rules-test.yaml"), join(dir, "rules-test.yaml"));
    for (const args of [["check", "rules", join(dir, "rules.yaml")], ["test", "rules", join(dir, "rules-test.yaml")]]) {
      try {
        execFileSync("promtool", args, { stdio: "pipe" });
      } catch (e) {
        problems.push(`promtool ${args[0]} ${args[1]}: ${e.stdout}${e.stderr}`);
      }
    }
  }
}

// The Grafana dashboard: valid JSON, and every query names metrics the services export.
const METRICS = ["oversight_use_case_mode", "oversight_drift_lower_bound", "oversight_drift_alarm",
  "oversight_under_escalation_rate", "oversight_under_escalation_upper", "oversight_intervention_rate",
  "oversight_override_rate", "oversight_escalation_precision", "oversight_releases_reversed_rate",
  "oversight_review_latency_p95_seconds", "oversight_queue_depth", "oversight_sla_breaches",
  "oversight_calibration_ece", "oversight_decisions"];
const board = named("ConfigMap", "oversight-dashboard");
if (!board) {
  problems.push("no ConfigMap oversight-dashboard");
} else {
  try {
    const d = JSON.parse(board.data["oversight.json"]);
    if (d.uid !== "oversight" || !Array.isArray(d.panels) || d.panels.length === 0) problems.push("dashboard: no uid or panels");
    for (const p of d.panels ?? []) {
      if (!p.targets?.length) problems.push(`dashboard panel "${p.title}": no query`);
      for (const t of p.targets ?? []) {
        for (const m of t.expr.match(/oversight_[a-z0-9_]+/g) ?? []) {
          if (!METRICS.includes(m) && !/^oversight_$/.test(m)) problems.push(`dashboard panel "${p.title}": unknown metric ${m}`);
        }
      }
    }
  } catch (e) {
    problems.push(`dashboard: ${e.message}`);
  }
}

if (problems.length) {
  console.error(`k8s/overlays/${overlay}: ${problems.length} problem(s)\n  ` + problems.join("\n  "));
  process.exit(1);
}
console.log(`k8s/overlays/${overlay}: ${docs.length} objects valid`);
