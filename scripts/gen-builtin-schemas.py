#!/usr/bin/env python3
"""Generates Sources/KubeTestServer/APIs/BuiltinSchemaTable.swift: the fields of every built-in kind
the test server serves, from the Kubernetes sources (generated.proto for structure, field numbers,
list markers and descriptions; types.go for the JSON names and `inline` embeddings).

One table feeds /openapi/v2 and /openapi/v3 (kubectl explain), server-side field validation
(unknown fields) and the protobuf request decoder.

Usage: scripts/gen-builtin-schemas.py API_REPO APIMACHINERY_REPO APIEXTENSIONS_REPO > out.swift
(each a git directory; HEAD is read, e.g. the mirrors of kubernetes/api, kubernetes/apimachinery,
kubernetes/apiextensions-apiserver).
"""
import re, subprocess, sys

api, machinery, extensions = sys.argv[1:4]

def show(repo, path):
    return subprocess.run(["git", "-C", repo, "show", f"HEAD:{path}"], capture_output=True, text=True, check=True).stdout

PKGS = [(api, f"{g}/generated.proto", f"{g}/types.go") for g in
        ["core/v1", "apps/v1", "batch/v1", "networking/v1", "policy/v1", "rbac/v1", "coordination/v1",
         "events/v1", "authorization/v1", "authentication/v1", "autoscaling/v1"]]
PKGS += [(machinery, "pkg/apis/meta/v1/generated.proto", "pkg/apis/meta/v1/types.go"),
         (machinery, "pkg/util/intstr/generated.proto", None),
         (machinery, "pkg/api/resource/generated.proto", None),
         (machinery, "pkg/runtime/generated.proto", None),
         (extensions, "pkg/apis/apiextensions/v1/generated.proto", "pkg/apis/apiextensions/v1/types.go"),
         ]
EXTRA_GO = {(extensions, "pkg/apis/apiextensions/v1/types_jsonschema.go"), (machinery, "pkg/apis/meta/v1/time.go")}

def openapi_name(proto_pkg):
    name = "io.k8s." + proto_pkg[len("k8s.io."):]
    return name.replace("apiextensions_apiserver", "apiextensions-apiserver")

messages = {}   # full name -> (desc, [fields])
def parse_proto(text):
    pkg = re.search(r"^package ([\w.]+);", text, re.M).group(1)
    prefix = openapi_name(pkg)
    lines = text.split("\n")
    comments, i, stack = [], 0, []
    for line in lines:
        s = line.strip()
        if s.startswith("//"):
            comments.append(s[2:].strip()); continue
        m = re.match(r"message (\w+) \{", s)
        if m:
            stack.append((prefix + "." + m.group(1), comments, []))
            comments = []; continue
        if s == "}" and stack:
            name, desc, fields = stack.pop()
            messages[name] = (desc, fields, pkg)
            comments = []; continue
        m = re.match(r"(optional|repeated)? ?(map<string, ?([\w.]+)>|[\w.]+) (\w+) = (\d+);", s)
        if m and stack:
            label, typ, mapval, name, num = m.groups()
            stack[-1][2].append(dict(label=label or "", type=mapval if mapval else typ, map=bool(mapval),
                                     proto=name, num=int(num), comments=comments))
        comments = [] if not s.startswith("//") else comments
        if not s: comments = []

jsonnames = {}  # (go struct, num) -> json name ; key by proto package prefix
def parse_go(text, prefix):
    struct = None
    for line in text.split("\n"):
        m = re.match(r"type (\w+) struct", line)
        if m: struct = m.group(1); continue
        t = re.search(r'json:"([^"]*)".*protobuf:"[a-z0-9]+,(\d+),', line)
        if t and struct:
            j = t.group(1).split(",")
            jsonnames[(prefix + "." + struct, int(t.group(2)))] = "" if "inline" in j[1:] and j[0] == "" else j[0]

for repo, proto, go in PKGS:
    text = show(repo, proto)
    parse_proto(text)
    pkg = re.search(r"^package ([\w.]+);", text, re.M).group(1)
    for r, g in ([(repo, go)] if go else []) + [e for e in EXTRA_GO if e[1].rsplit("/", 1)[0] == proto.rsplit("/", 1)[0]]:
        parse_go(show(r, g), openapi_name(pkg))

def resolve(typ, pkg):
    if typ in ("string", "int32", "int64", "bool", "bytes", "double", "float", "fixed64", "uint64", "uint32"):
        return typ
    if "." in typ:
        return openapi_name(typ.lstrip("."))
    return openapi_name(pkg) + "." + typ

ROOTS = """core.v1: Pod Service Namespace ServiceAccount Secret ConfigMap ResourceQuota LimitRange Event Node
 PersistentVolumeClaim Endpoints Binding
apps.v1: Deployment ReplicaSet StatefulSet DaemonSet
batch.v1: Job CronJob
networking.v1: NetworkPolicy Ingress IngressClass
policy.v1: PodDisruptionBudget Eviction
rbac.v1: Role RoleBinding ClusterRole ClusterRoleBinding
coordination.v1: Lease
events.v1: Event
authorization.v1: SubjectAccessReview SelfSubjectAccessReview LocalSubjectAccessReview SelfSubjectRulesReview
authentication.v1: TokenRequest SelfSubjectReview TokenReview
autoscaling.v1: Scale"""
roots = []
for line in ROOTS.replace("\n ", " ").split("\n"):
    gv, kinds = line.split(":")
    roots += [f"io.k8s.api.{gv}.{k}" for k in kinds.split()]
roots += ["io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
          "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions", "io.k8s.apimachinery.pkg.apis.meta.v1.Status"]

def clean(comments, limit):
    text = " ".join(c for c in comments if not c.startswith("+") and not c.startswith("---"))
    text = re.sub(r"\s+", " ", text).strip().replace("|", "/")
    if len(text) > limit:
        cut = text[:limit]
        dot = cut.rfind(". ")
        text = cut[:dot + 1] if dot > limit // 3 else cut.rstrip() + "…"
    return text

OPAQUE = {"io.k8s.apimachinery.pkg.apis.meta.v1.Time", "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
          "io.k8s.apimachinery.pkg.api.resource.Quantity", "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
          "io.k8s.apimachinery.pkg.runtime.RawExtension", "io.k8s.apimachinery.pkg.apis.meta.v1.Duration",
          "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
          "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
          "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool",
          "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray",
          "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray"}
out, seen, queue = [], set(), list(roots)
while queue:
    name = queue.pop(0)
    if name in seen or name not in messages: continue
    seen.add(name)
    desc, fields, pkg = messages[name]
    out.append(f"M|{name}|{clean(desc, 300)}")
    if name in OPAQUE: continue
    for f in fields:
        typ = resolve(f["type"], pkg)
        json = jsonnames.get((name, f["num"]), f["proto"])
        flags = []
        if f["label"] == "repeated": flags.append("r")
        if f["map"]: flags.append("m")
        if json == "": flags.append("i"); json = f["proto"]
        for c in f["comments"]:
            m = re.match(r"\+listType=(\w+)", c)
            if m: flags.append("lt=" + m.group(1))
            m = re.match(r"\+listMapKey=(\w+)", c)
            if m: flags.append("lk=" + m.group(1))
            m = re.match(r"\+patchMergeKey=(\w+)", c)
            if m: flags.append("pk=" + m.group(1))
            m = re.match(r"\+patchStrategy=([\w,]+)", c)
            if m: flags.append("ps=" + m.group(1).replace(",", "+"))
        if typ.startswith("io.") and typ not in seen: queue.append(typ)
        out.append(f"F|{json}|{f['num']}|{typ}|{','.join(flags)}|{clean(f['comments'], 240)}")

print("// Generated by scripts/gen-builtin-schemas.py from kubernetes/api, kubernetes/apimachinery and")
print("// kubernetes/apiextensions-apiserver. Do not edit by hand: regenerate.")
print("//")
print("// Lines: `M|message|description`, then its fields `F|json name|proto number|type|flags|description`.")
print("// Flags: r repeated, m map<string,type>, i inline (embedded), lt= listType, lk= listMapKey,")
print("// pk= patchMergeKey, ps= patchStrategy.")
print("enum BuiltinSchemaTable {")
print("    static let text = #\"\"\"")
for l in out: print(l)
print("\"\"\"#")
print("}")
