import GitHub
import KubeClient
import KubeRuntime
import Logging
import Metrics
import Operator
import Runs

extension OperatorCommand {
    /// The GitHub reporter (issue 13, docs/github.md) when `github.tokenFile` is configured: its
    /// controllers join the `Manager` (leader-only). Nil — reporting off — without a token file.
    static func reporter(settings: OperatorConfig, client: KubeClient, metricsFactory: any MetricsFactory,
                         logger: Logger, sharing shared: (runs: Controller<AgentRun>, runNamespaces: Controller<RunNamespace>)? = nil)
        -> GitHubReporter? {
        guard !settings.github.tokenFile.isEmpty else {
            logger.info("GitHub reporting is off: github.tokenFile is not set")
            return nil
        }
        let github = GitHubRESTClient(options: GitHubClientOptions(apiURL: settings.github.apiURL, tokenFile: settings.github.tokenFile),
                                      logger: logger, metrics: metricsFactory)
        logger.info("GitHub reporting is on", metadata: ["apiURL": "\(settings.github.apiURL)", "resync": "\(settings.github.resync)"])
        return GitHubReporter(client: client, github: github, config: settings,
                              resyncInterval: .seconds(settings.github.resync.seconds), metricsFactory: metricsFactory, logger: logger,
                              sharing: shared)
    }
}
