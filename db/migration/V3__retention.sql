-- Retention: runs expire some time after their last use, a total size cap removes the least recently used
-- first, and an expired id leaves a small tombstone so it answers 410 Gone instead of 404.

alter table runs
    -- when the run was made or last opened (share page or events), moved at most every few minutes
    add column used_at      timestamptz,
    -- first time someone other than its owner's session opened it: it is kept much longer
    add column shared_at    timestamptz,
    -- what the run holds in the tables, kept by the triggers below (see RetentionSweeper for why not
    -- pg_total_relation_size): its params and result, and each event's data plus a fixed row overhead
    add column stored_bytes  bigint not null default 0,
    add column stored_events bigint not null default 0;

update runs set used_at = coalesce(finished_at, created_at);
alter table runs alter column used_at set not null, alter column used_at set default now();

-- The sweeps walk these from the oldest use; a running run is in neither, so it is never picked.
-- Every finished run by last use: the size cap and the shared runs' (longer) age.
create index runs_finished_used on runs (used_at, id) where status <> 'running';
-- Finished runs nobody else opened: the ordinary age.
create index runs_unshared_used on runs (used_at) where status <> 'running' and shared_at is null;

-- Sessions that own no run expire after the same age as runs.
create index sessions_last_seen on sessions (last_seen);

-- Ids of removed runs (no data), so their links say what happened; removed themselves after shared-max-age.
create table expired_runs (
    id           text        primary key,
    expired_at   timestamptz not null default now(),
    reason       text        not null,                 -- age | size
    last_used_at timestamptz not null,
    shared       boolean     not null
);
create index expired_runs_at on expired_runs (expired_at);

-- Bytes of the run row itself: a fixed overhead plus its params, and its result once it has one.
create function count_run_bytes() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        new.stored_bytes := 200 + octet_length(new.params::text) + coalesce(octet_length(new.result::text), 0);
    else
        new.stored_bytes := new.stored_bytes + coalesce(octet_length(new.result::text), 0)
                            - coalesce(octet_length(old.result::text), 0);
    end if;
    return new;
end;
$$;

create trigger runs_stored_bytes before insert or update of result on runs
    for each row execute function count_run_bytes();

-- Every statement that adds events adds their bytes to their runs: one update per run and statement (a
-- batch of events is one statement), whichever code path wrote them. 100 bytes a row stand for the tuple
-- header, run_id, seq, type, created_at and the primary key's index entry.
create function count_event_bytes() returns trigger language plpgsql as $$
begin
    update runs r
    set stored_bytes = r.stored_bytes + added.bytes, stored_events = r.stored_events + added.events
    from (select run_id, sum(100 + octet_length(data::text)) as bytes, count(*) as events
          from new_events group by run_id) added
    where r.id = added.run_id;
    return null;
end;
$$;

create trigger run_events_stored_bytes after insert on run_events
    referencing new table as new_events
    for each statement execute function count_event_bytes();

-- What the runs already stored before this migration.
update runs r
set stored_bytes = 200 + octet_length(r.params::text) + coalesce(octet_length(r.result::text), 0)
                   + coalesce(e.bytes, 0),
    stored_events = coalesce(e.events, 0)
from (select run_id, sum(100 + octet_length(data::text)) as bytes, count(*) as events
      from run_events group by run_id) e
where r.id = e.run_id;
update runs set stored_bytes = 200 + octet_length(params::text) + coalesce(octet_length(result::text), 0)
where stored_events = 0;
