{#-
    Parsing helpers for native exports. Every raw value arrives as text;
    these macros turn it into a typed value or null, and say why a value
    is invalid so that staging can quarantine the row with that reason.
    Engine-specific SQL goes through adapter.dispatch (default__ + duckdb__).
-#}

{%- macro clean_number_text(column, decimal_separator) -%}
    {{ return(adapter.dispatch('clean_number_text', 'social_warehouse')(column, decimal_separator)) }}
{%- endmacro -%}

{%- macro default__clean_number_text(column, decimal_separator) -%}
    {#- Remove grouping (spaces, no-break spaces, the other separator), make the decimal a dot. -#}
    case
        when {{ decimal_separator }} = ','
            then replace(
                regexp_replace(trim({{ column }}), '[\s\x{00a0}\x{202f}.'']', '', 'g'),
                ',', '.'
            )
        else regexp_replace(trim({{ column }}), '[\s\x{00a0}\x{202f},'']', '', 'g')
    end
{%- endmacro -%}

{%- macro is_blank(column) -%}
    {#- No value: empty, spaces only, '-' (X: not promoted), an em dash (a suppressed or
        missing figure in ad managers' exports) or 'undefined' (TikTok: no figure yet). -#}
    (nullif(trim({{ column }}), '') is null or trim({{ column }}) in ('-', '—', 'undefined'))
{%- endmacro -%}

{%- macro parse_count(column, decimal_separator="'.'") -%}
    {#- A whole count; blank, '-' and non-whole values are null. '424.0' is 424. -#}
    case
        when {{ is_blank(column) }} then null
        when try_cast({{ clean_number_text(column, decimal_separator) }} as double)
            = floor(try_cast({{ clean_number_text(column, decimal_separator) }} as double))
            then try_cast(
                try_cast({{ clean_number_text(column, decimal_separator) }} as double) as bigint
            )
    end
{%- endmacro -%}

{%- macro parse_decimal(column, decimal_separator="'.'") -%}
    {#- A decimal; '12,5 %' and '12.5%' are 0.125 (percentages become fractions).
        A plain digit string (nearly every count in an export) is cast at once, without
        the cleaning of separators. -#}
    case
        when {{ is_blank(column) }} then null
        when {{ full_match('trim(' ~ column ~ ')', '[0-9]+') }}
            then try_cast(trim({{ column }}) as double)
        {# instr, not `like` with an escape: Spark reads a backslash before a quote as an escape #}
        when instr(trim({{ column }}), '%') > 0
            then try_cast(
                {{ clean_number_text("replace(" ~ column ~ ", '%', '')", decimal_separator) }}
                as double
            ) / 100
        else try_cast({{ clean_number_text(column, decimal_separator) }} as double)
    end
{%- endmacro -%}

{%- macro parse_local_datetime(column, date_order) -%}
    {{ return(adapter.dispatch('parse_local_datetime', 'social_warehouse')(column, date_order)) }}
{%- endmacro -%}

{%- macro default__parse_local_datetime(column, date_order) -%}
    {#- `MM/DD/YYYY HH:MM`, `DD/MM/YYYY HH:MM`, `DD.MM.YYYY`, ISO `YYYY-MM-DD[THH:MM[:SS]]`. -#}
    case
        when {{ full_match('trim(' ~ column ~ ')', '\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?') }}
            then try_cast(replace(trim({{ column }}), 'T', ' ') as timestamp)
        when {{ full_match('trim(' ~ column ~ ')', '\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}( \d{1,2}:\d{2}(:\d{2})?)?') }}
            -- rebuilt as ISO text and cast: an impossible date (31/31, 30/02) is null, not an error
            then try_cast(
                regexp_extract(trim({{ column }}), '^\d+[/.\-]\d+[/.\-](\d{4})', 1)
                || '-' || lpad(
                    case
                        when {{ date_order }} = 'DMY' then regexp_extract(trim({{ column }}), '^\d+[/.\-](\d+)', 1)
                        else regexp_extract(trim({{ column }}), '^(\d+)', 1)
                    end, 2, '0'
                )
                || '-' || lpad(
                    case
                        when {{ date_order }} = 'DMY' then regexp_extract(trim({{ column }}), '^(\d+)', 1)
                        else regexp_extract(trim({{ column }}), '^\d+[/.\-](\d+)', 1)
                    end, 2, '0'
                )
                || ' ' || lpad(coalesce(nullif(regexp_extract(trim({{ column }}), ' (\d{1,2}):', 1), ''), '0'), 2, '0')
                || ':' || coalesce(nullif(regexp_extract(trim({{ column }}), ' \d{1,2}:(\d{2})', 1), ''), '00')
                || ':' || coalesce(nullif(regexp_extract(trim({{ column }}), ' \d{1,2}:\d{2}:(\d{2})', 1), ''), '00')
                as timestamp
            )
    end
{%- endmacro -%}

{%- macro duckdb__parse_local_datetime(column, date_order) -%}
    {#- The usual `M/D/YYYY H:MM` (Meta) read with one strptime, the digits checked first
        (strptime alone takes a two-digit year or two spaces); what that does not read
        (any other form, and `24:00`, which the default reads as the next midnight) as by
        default, which rebuilds an ISO text from nine pieces. -#}
    coalesce(
        case
            when {{ full_match('trim(' ~ column ~ ')', '\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}') }}
                then case
                    when {{ date_order }} = 'DMY' then try_strptime(trim({{ column }}), '%d/%m/%Y %H:%M')
                    else try_strptime(trim({{ column }}), '%m/%d/%Y %H:%M')
                end
        end,
        {{ default__parse_local_datetime(column, date_order) }}
    )
{%- endmacro -%}

{%- macro local_to_utc(timestamp_expression, time_zone) -%}
    {{ return(adapter.dispatch('local_to_utc', 'social_warehouse')(timestamp_expression, time_zone)) }}
{%- endmacro -%}

{%- macro default__local_to_utc(timestamp_expression, time_zone) -%}
    cast(timezone('UTC', timezone({{ time_zone }}, {{ timestamp_expression }})) as timestamp)
{%- endmacro -%}

{%- macro utc_to_local(timestamp_expression, time_zone) -%}
    {{ return(adapter.dispatch('utc_to_local', 'social_warehouse')(timestamp_expression, time_zone)) }}
{%- endmacro -%}

{%- macro default__utc_to_local(timestamp_expression, time_zone) -%}
    cast(timezone({{ time_zone }}, timezone('UTC', {{ timestamp_expression }})) as timestamp)
{%- endmacro -%}


{%- macro full_match(expression, pattern) -%}
    {{ return(adapter.dispatch('full_match', 'social_warehouse')(expression, pattern)) }}
{%- endmacro -%}

{%- macro default__full_match(expression, pattern) -%}
    ({{ expression }} rlike '^(?:{{ pattern }})$')
{%- endmacro -%}

{%- macro duckdb__full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro -%}

{%- macro parse_id(column, id_format) -%}
    {#-
        An ID as text, by the registry's `value_format`:
        - (none): a digit string;
        - `parent_child`: a digit string, or `<parent id>_<id>` (Meta's Graph API
          form of a post ID, `<page id>_<post id>`), normalised to the id after the
          underscore so that both forms name one post;
        - `linkedin_activity_urn`: the number of the activity, share or ugcPost
          URN inside a LinkedIn post link;
        - `tiktok_video_url`: the number after `/video/` in a TikTok video link;
        - `youtube_video_id`: an 11-character YouTube video id (letters, digits,
          `-`, `_`; soft hyphens and spaces some exports add are removed).
        Anything else is null (an ID in scientific notation is never guessed).
    -#}
    {%- if id_format == 'linkedin_activity_urn' -%}
        nullif(regexp_extract({{ column }}, 'urn:li:(?:activity|share|ugcPost):([0-9]+)', 1), '')
    {%- elif id_format == 'tiktok_video_url' -%}
        nullif(regexp_extract({{ column }}, '/video/([0-9]+)', 1), '')
    {%- elif id_format == 'youtube_video_id' -%}
        case
            when {{ full_match("trim(replace(" ~ column ~ ", chr(173), ''))", '[A-Za-z0-9_-]{11}') }}
                then trim(replace({{ column }}, chr(173), ''))
        end
    {%- elif id_format == 'parent_child' -%}
        case
            when {{ full_match('trim(' ~ column ~ ')', '[0-9]+') }} then trim({{ column }})
            when {{ full_match('trim(' ~ column ~ ')', '[0-9]+_[0-9]+') }}
                then regexp_extract(trim({{ column }}), '_([0-9]+)$', 1)
        end
    {%- elif not id_format -%}
        case when {{ full_match('trim(' ~ column ~ ')', '[0-9]+') }} then trim({{ column }}) end
    {%- else -%}
        {{ exceptions.raise_compiler_error("export_columns: unknown id format '" ~ id_format ~ "'") }}
    {%- endif -%}
{%- endmacro -%}

{%- macro id_problem(column, id_format, column_name) -%}
    {#- Why a non-blank ID could not be read (see parse_id). -#}
    case
        when {{ full_match('trim(' ~ column ~ ')', '[0-9]+(\\.[0-9]+)?[eE][+-]?[0-9]+') }}
            then '{{ column_name }}: id in scientific notation (file re-saved in Excel?)'
        {%- if id_format == 'linkedin_activity_urn' %}
        else '{{ column_name }}: no activity URN in the link'
        {%- elif id_format == 'tiktok_video_url' %}
        else '{{ column_name }}: no /video/<id> in the link'
        {%- elif id_format == 'youtube_video_id' %}
        else '{{ column_name }}: not an 11-character video id'
        {%- elif id_format == 'parent_child' %}
        else '{{ column_name }}: id is neither a digit string nor <page id>_<post id>'
        {%- else %}
        else '{{ column_name }}: id is not a digit string'
        {%- endif %}
    end
{%- endmacro -%}

{%- macro parse_datetime_format(column, value_format) -%}
    {#-
        A local timestamp read with the registry's `value_format`: strptime
        formats separated by `|` (the first that matches wins, e.g. X's
        `%a, %b %d, %Y`); with the prefix `no_year:`, formats without a year
        (TikTok writes `September 25`), the year being the latest one that puts
        the day no later than a day after the file was downloaded.
    -#}
    {%- if value_format.startswith('no_year:') -%}
        {%- set formats = value_format[8:].split('|') -%}
        {%- set this_year = "cast(extract(year from cast(_exported_at as timestamp)) as string)" -%}
        {%- set last_year = "cast(extract(year from cast(_exported_at as timestamp)) - 1 as string)" -%}
        case
            when {{ strptime_first(column ~ " || ' ' || " ~ this_year, formats, ' %Y') }}
                <= cast(_exported_at as timestamp) + interval 1 day
                then {{ strptime_first(column ~ " || ' ' || " ~ this_year, formats, ' %Y') }}
            else {{ strptime_first(column ~ " || ' ' || " ~ last_year, formats, ' %Y') }}
        end
    {%- else -%}
        {{ strptime_first(column, value_format.split('|'), '') }}
    {%- endif -%}
{%- endmacro -%}

{%- macro strptime_first(text, formats, suffix) -%}
    {#- The text read with the first strptime format (+ suffix) that matches, or null. -#}
    coalesce(
        {%- for format in formats %}
        {{ adapter.dispatch('try_strptime', 'social_warehouse')('trim(' ~ text ~ ')', format ~ suffix) }}
        {{- "," if not loop.last }}
        {%- endfor %}
    )
{%- endmacro -%}

{%- macro default__try_strptime(text, format) -%}
    cast(try_strptime({{ text }}, '{{ format }}') as timestamp)
{%- endmacro -%}

{%- macro parse_utc_datetime(column, value_format) -%}
    {{ return(adapter.dispatch('parse_utc_datetime', 'social_warehouse')(column, value_format)) }}
{%- endmacro -%}

{%- macro default__parse_utc_datetime(column, value_format) -%}
    {#-
        A UTC timestamp: with an offset in the format (`%z`, e.g. X legacy `+0000`)
        it is converted to UTC. The named rule `tiktok_video_id_time` reads the
        post time from a TikTok video link: the top 32 bits of the video id are the
        post's Unix time (exact to the second, where the export gives a day without
        a year).
    -#}
    {%- if value_format == 'tiktok_video_id_time' -%}
        cast(to_timestamp(
            try_cast(nullif(regexp_extract({{ column }}, '/video/([0-9]+)', 1), '') as ubigint) >> 32
        ) as timestamp)
    {%- elif '%z' in value_format -%}
        cast(timezone('UTC', try_strptime(trim({{ column }}), '{{ value_format }}')) as timestamp)
    {%- else -%}
        cast(try_strptime(trim({{ column }}), '{{ value_format }}') as timestamp)
    {%- endif -%}
{%- endmacro -%}

{%- macro pseudonym(column) -%}
    {#-
        Personal data (a staff member's name) arrives already pseudonymised by the
        ingest (HMAC-SHA-256 with the pseudonym key, 64 hex digits). Anything else is a
        value that escaped the ingest: null, never hashed here without a key.
    -#}
    case
        when {{ full_match('lower(trim(' ~ column ~ '))', '[0-9a-f]{64}') }}
            then lower(trim({{ column }}))
    end
{%- endmacro -%}
