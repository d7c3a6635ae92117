{{ base_config() }}
-- depends_on: {{ ref('landing_files') }}

-- Every row of every landed Instagram account-level "follows" export: new
-- follows per local day (not totals), typed, with the reason a row cannot be used.

{{ base_meta_daily_follows(source('instagram_raw', 'follows'), 'instagram', '2010-10-06') }}
