// The YAML reader (YAMLNode over libyaml) lives in its own small target, `YAML`, so that the pure
// `Runs` module can read configuration without depending on KubeClient. KubeClient re-exports it:
// `import KubeClient` keeps giving YAMLNode, YAMLMark, YAMLError and `parse` as before.
@_exported import YAML
