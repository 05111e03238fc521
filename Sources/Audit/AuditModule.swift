// Audit: the AuditSink protocol, the Kubernetes-Events/log sink and the PostgreSQL sink (libpq).
// See docs/audit.md.
