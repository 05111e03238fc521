// KubeClient: libcurl transport (one curl_multi thread), kubeconfig and in-cluster config,
// typed requests, retries and watch streams. See docs/kubeclient.md.
