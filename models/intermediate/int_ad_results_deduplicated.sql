-- The ad managers' rows that count, once each: per ad account, ad and publisher
-- platform, a row is dropped when a later export (later download, then larger
-- file hash) has a row whose reporting period overlaps it. So:
-- - the same ad and day in two overlapping exports counts once, from the latest
--   export (the exact same period is already kept once in staging);
-- - a month row and day rows of the same ad: the rows of the later export win,
--   and an earlier row is dropped whole, never split by day (spend inside a
--   period row cannot be split);
-- - a row without the Platform breakdown (`all`) overlaps every platform's rows.
-- Every row lies within one calendar month (checked in staging), so it belongs
-- to the month of its start.

with results as (
    select
        results.*,
        accounts.organization_id,
        accounts.ad_network
    from {{ ref('stg_social__ad_results') }} as results
    inner join {{ ref('ad_accounts') }} as accounts
        on results.account_key = accounts.ad_account_key
),

superseded as (
    -- rows of which a later export reports an overlapping period of the same ad
    select distinct
        older.source_file_hash,
        older.source_row_number
    from results as older
    inner join results as newer
        on
            older.account_key = newer.account_key
            and older.ad_id = newer.ad_id
            and (
                older.publisher_platform = newer.publisher_platform
                or 'all' in (older.publisher_platform, newer.publisher_platform)
            )
            and newer.reporting_started_on <= older.reporting_ended_on
            and newer.reporting_ended_on >= older.reporting_started_on
            and (
                newer.exported_at > older.exported_at
                or (
                    newer.exported_at = older.exported_at
                    and newer.source_file_hash > older.source_file_hash
                )
            )
)

select
    results.organization_id,
    results.ad_network,
    results.account_key as ad_account_key,
    results.ad_id,
    results.publisher_platform,
    case
        when results.publisher_platform = 'all' then networks.platforms
        else results.publisher_platform
    end as platform,
    results.publisher_platform <> 'all' as is_platform_split,
    results.reporting_started_on,
    results.reporting_ended_on,
    cast(date_trunc('month', results.reporting_started_on) as date) as spend_month,
    results.campaign_name,
    results.ad_set_name,
    results.ad_name,
    results.currency_code,
    results.amount_spent,
    results.impressions,
    results.reach,
    results.clicks,
    results.result_type,
    results.results,
    results.post_engagements,
    results.post_reactions,
    results.post_comments,
    results.post_shares,
    results.export_kind,
    results.source_file,
    results.source_file_hash,
    results.source_row_number,
    results.exported_at
from results
inner join {{ ref('ad_networks') }} as networks
    on results.ad_network = networks.ad_network
where not exists (
    select 1
    from superseded
    where
        superseded.source_file_hash = results.source_file_hash
        and superseded.source_row_number = results.source_row_number
)
