// KubeRuntime: generic controller machinery (watcher, store, work queue, controller, leader
// election, events, manager). Knows nothing of AgentRuns. See docs/runtime.md.
