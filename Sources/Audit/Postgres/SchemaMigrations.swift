/// The audit schema, as numbered migrations applied in order at start (`AuditSchema.migrate`).
///
/// Rules: a migration, once released, never changes — add a new one. Each runs in its own transaction
/// together with its `schema_migrations` row, so a crash leaves either all of it or none.
enum SchemaMigrations {
    struct Migration: Sendable {
        let version: Int
        let name: String
        let sql: String
    }

    /// The `NOTIFY` channel carrying each new `flow_events` row as JSON.
    static let notifyChannel = "codex_k8s_flow_events"
    /// Largest `flow_events.payload` (bytes of its JSON text), so a row always fits a NOTIFY (8000 bytes).
    static let maxPayloadBytes = 4096

    static let all: [Migration] = [
        Migration(version: 1, name: "flow_events, agent_runs, webhook_deliveries", sql: """
            CREATE TABLE flow_events (
                id          bigserial PRIMARY KEY,
                event_id    uuid NOT NULL UNIQUE,
                time        timestamptz NOT NULL,
                recorded_at timestamptz NOT NULL DEFAULT now(),
                run         text,
                repository  text,
                actor       text NOT NULL,
                event       text NOT NULL,
                payload     jsonb NOT NULL DEFAULT '{}'::jsonb
                    CHECK (jsonb_typeof(payload) = 'object' AND octet_length(payload::text) <= \(maxPayloadBytes))
            );
            CREATE INDEX flow_events_run_idx ON flow_events (run, id);
            CREATE INDEX flow_events_repository_idx ON flow_events (repository, id);
            CREATE INDEX flow_events_time_idx ON flow_events USING brin (time);

            CREATE FUNCTION flow_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'flow_events is append-only: % refused', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END $$;
            CREATE TRIGGER flow_events_append_only BEFORE UPDATE OR DELETE ON flow_events
                FOR EACH ROW EXECUTE FUNCTION flow_events_refuse_change();
            CREATE TRIGGER flow_events_no_truncate BEFORE TRUNCATE ON flow_events
                FOR EACH STATEMENT EXECUTE FUNCTION flow_events_refuse_change();

            CREATE FUNCTION flow_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('\(notifyChannel)', json_build_object(
                    'id', NEW.id,
                    'time', to_char(NEW.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                    'run', NEW.run, 'repository', NEW.repository, 'actor', NEW.actor,
                    'event', NEW.event, 'payload', NEW.payload)::text);
                RETURN NULL;
            END $$;
            CREATE TRIGGER flow_events_notify AFTER INSERT ON flow_events
                FOR EACH ROW EXECUTE FUNCTION flow_events_notify();

            CREATE TABLE agent_runs (
                name         text PRIMARY KEY,
                uid          text,
                repository   text NOT NULL,
                issue        integer NOT NULL,
                pull_request integer,
                stage        text NOT NULL,
                revise       boolean NOT NULL DEFAULT false,
                mode         text,
                phase        text NOT NULL,
                reason       text,
                model        text,
                reasoning    text,
                namespace    text,
                job_name     text,
                debug        boolean NOT NULL DEFAULT false,
                created_at   timestamptz NOT NULL,
                started_at   timestamptz,
                finished_at  timestamptz,
                updated_at   timestamptz NOT NULL
            );
            CREATE INDEX agent_runs_repository_issue_idx ON agent_runs (repository, issue);
            CREATE INDEX agent_runs_issue_idx ON agent_runs (issue);
            CREATE INDEX agent_runs_pull_request_idx ON agent_runs (repository, pull_request);
            CREATE INDEX agent_runs_stage_idx ON agent_runs (stage);
            CREATE INDEX agent_runs_phase_idx ON agent_runs (phase);
            CREATE INDEX agent_runs_namespace_idx ON agent_runs (namespace);
            CREATE INDEX agent_runs_created_at_idx ON agent_runs (created_at);
            CREATE INDEX agent_runs_started_at_idx ON agent_runs (started_at);
            CREATE INDEX agent_runs_finished_at_idx ON agent_runs (finished_at);
            CREATE INDEX agent_runs_updated_at_idx ON agent_runs (updated_at);

            CREATE TABLE webhook_deliveries (
                delivery_id text PRIMARY KEY,
                event       text NOT NULL,
                action      text,
                repository  text,
                sender      text,
                outcome     text NOT NULL,
                reason      text,
                run         text,
                received_at timestamptz NOT NULL
            );
            CREATE INDEX webhook_deliveries_repository_idx ON webhook_deliveries (repository, received_at);
            CREATE INDEX webhook_deliveries_received_at_idx ON webhook_deliveries (received_at);
            CREATE INDEX webhook_deliveries_outcome_idx ON webhook_deliveries (outcome);
            """),
    ]
}
