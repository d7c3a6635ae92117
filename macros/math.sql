{%- macro safe_divide(numerator, denominator) -%}
    {#- Division that gives null, not an error or infinity, when the denominator is 0 or null. -#}
    case
        when {{ denominator }} is null or {{ denominator }} = 0 then null
        else cast({{ numerator }} as double) / {{ denominator }}
    end
{%- endmacro -%}
