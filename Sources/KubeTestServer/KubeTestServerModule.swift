// KubeTestServer: an in-memory Kubernetes API server over loopback HTTP, for tests and the
// playground. Never linked into the operator. See docs/testserver.md.
