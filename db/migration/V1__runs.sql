-- A run is one experiment: kind + params (+ seed) → a stream of events.
create table runs (
    id          text        primary key,              -- 128 random bits, URL-safe base64
    kind        text        not null,
    params      jsonb       not null,
    seed        bigint,
    status      text        not null,                 -- running | done | error | cancelled | interrupted
    result      jsonb,                                -- the data of the final event
    created_at  timestamptz not null default now(),
    finished_at timestamptz
);

create index runs_created_at on runs (created_at desc);

-- Every event a run emitted, in order. data is json (not jsonb) so a replay returns the exact text
-- the first reader got.
create table run_events (
    run_id     text        not null references runs (id) on delete cascade,
    seq        bigint      not null,
    type       text        not null,
    data       json        not null,
    created_at timestamptz not null default now(),
    primary key (run_id, seq)
);
