-- Anonymous browser sessions: the id is the cookie value; no sign-up, nothing personal.
create table sessions (
    id         text        primary key,
    created_at timestamptz not null default now(),
    last_seen  timestamptz not null default now()
);

-- App instances sharing this database, with a heartbeat, so a run whose instance died can be marked
-- interrupted by any other instance.
create table instances (
    id         text        primary key,
    started_at timestamptz not null default now(),
    last_seen  timestamptz not null default now()
);

alter table runs
    add column session_id  text references sessions (id) on delete set null,
    add column instance_id text,
    -- viewers on other instances touch this while they follow the run, so it is not cancelled as unwatched
    add column watched_at  timestamptz;

create index runs_session_created on runs (session_id, created_at desc);
create index runs_running on runs (status) where status = 'running';

-- Every new event wakes the instances that follow the run live: NOTIFY carries only the id,
-- readers fetch the events from the table.
create function notify_run_event() returns trigger language plpgsql as $$
begin
    perform pg_notify('run_events', new.run_id);
    return new;
end;
$$;

create trigger run_events_notify after insert on run_events
    for each row execute function notify_run_event();
