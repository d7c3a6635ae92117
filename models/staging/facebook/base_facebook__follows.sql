{{ base_config() }}
-- depends_on: {{ ref('landing_files') }}

-- Every row of every landed Facebook page-level "follows" export: new follows
-- per local day (not totals), typed, with the reason a row cannot be used.

{{ base_meta_daily_follows(source('facebook_raw', 'follows'), 'facebook', '2004-02-04') }}
