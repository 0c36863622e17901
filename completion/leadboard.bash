# bash completion for leadboard(1)                        -*- shell-script -*-
#
# Everything it offers comes from the program itself, so it never drifts:
# the commands and vocabularies from `leadboard help --list WHAT`, each
# command's options and arguments from the usage line of `leadboard help
# COMMAND`, and logins, campaign names and setting keys from the board's
# database (`leadboard --format tsv user list`, ...) when that file exists.
# Installed as $(datadir)/bash-completion/completions/leadboard; to try it
# without installing: source completion/leadboard.bash

# _leadboard_run ARGS...: the program being completed, quietly.
_leadboard_run()
{
    "$_leadboard_prog" "$@" 2>/dev/null </dev/null
}

# _leadboard_db_run ARGS...: the program on the command line's database, only
# when that file exists (a completion must never create a database).
_leadboard_db_run()
{
    local db=${_leadboard_db:-${LEADBOARD_DB:-${XDG_DATA_HOME:-$HOME/.local/share}/leadboard/board.db}}
    [[ -f $db ]] || return 0
    _leadboard_run --db "$db" --format tsv "$@"
}

# _leadboard_first_column: a TSV table's first column without its header,
# with the escapes of tsv undone (\t, \n, \r, \\).
_leadboard_first_column()
{
    local line first=1 v
    while IFS= read -r line; do
        if ((first)); then
            first=0
            continue
        fi
        v=${line%%$'\t'*}
        v=${v//\\\\/$'\001'}
        v=${v//\\t/$'\t'}
        v=${v//\\n/$'\n'}
        v=${v//\\r/$'\r'}
        printf '%s\n' "${v//$'\001'/\\}"
    done
}

# _leadboard_reply WORD...: COMPREPLY is each WORD (one per line on stdin
# when none is given) that starts with the word being completed, quoted for
# the shell so names with spaces or quotes stay one word.
_leadboard_reply()
{
    local want=$_leadboard_cur w
    # What was typed, without an opening quote or backslashes.
    want=${want#[\"\']}
    want=${want//\\/}
    local -a words=()
    if (($#)); then
        words=("$@")
    else
        mapfile -t words
    fi
    for w in "${words[@]}"; do
        [[ -n $w && $w == "$want"* ]] && COMPREPLY+=("$(printf '%q' "$w")")
    done
}

# _leadboard_value OPTION COMMAND USAGE: completes OPTION's value.
_leadboard_value()
{
    local opt=$1 cmd=$2 usage=$3 placeholder
    case $opt in
    --db | --replay | --dump-screen | --rejects)
        mapfile -t COMPREPLY < <(compgen -f -- "$_leadboard_cur")
        compopt -o filenames 2>/dev/null
        return ;;
    --format) _leadboard_reply < <(_leadboard_run help --list formats); return ;;
    --as | --to | --owner) _leadboard_reply < <(_leadboard_db_run user list | _leadboard_first_column); return ;;
    --campaign) _leadboard_reply < <(_leadboard_db_run campaign list | _leadboard_first_column); return ;;
    --team) _leadboard_reply < <(_leadboard_run help --list teams); return ;;
    --stage) _leadboard_reply < <(_leadboard_run help --list stages); return ;;
    --outcome) _leadboard_reply < <(_leadboard_run help --list outcomes); return ;;
    --kind)
        if [[ $cmd == "asset add" ]]; then
            _leadboard_reply < <(_leadboard_run help --list asset_kinds)
        else
            _leadboard_reply < <(_leadboard_run help --list kinds)
        fi
        return ;;
    --used) _leadboard_reply < <(_leadboard_db_run asset list | _leadboard_first_column); return ;;
    --channel) _leadboard_reply < <(_leadboard_run help --list channels); return ;;
    --reason-tag) _leadboard_reply < <(_leadboard_run help --list reasons); return ;;
    --delimiter) _leadboard_reply , ';' tab '|'; return ;;
    --encoding)
        # iconv's names ("ISO-8859-1//, ISO_8859-1//, ..."), common ones first
        _leadboard_reply < <({
            printf '%s\n' UTF-8 UTF-16LE UTF-16BE WINDOWS-1252 ISO-8859-1 ISO-8859-15 SHIFT_JIS
            iconv -l 2>/dev/null | tr -s ', ' '\n\n' | sed -n 's,//*$,,p'
        } | awk 'NF && !seen[$0]++')
        return ;;
    esac
    # Otherwise what the usage line says: "--on-duplicate skip|update|error",
    # "--reason TAG" (a reason tag) or a free value ("--note TEXT").
    placeholder=$(sed -n "s/.*${opt} \([^] []*\).*/\1/p" <<<"$usage")
    case $placeholder in
    TAG) _leadboard_reply < <(_leadboard_run help --list reasons) ;;
    LOGIN) _leadboard_reply < <(_leadboard_db_run user list | _leadboard_first_column) ;;
    FILE*) mapfile -t COMPREPLY < <(compgen -f -- "$_leadboard_cur"); compopt -o filenames 2>/dev/null ;;
    *[a-z]\|*) local -a alts; IFS='|' read -r -a alts <<<"$placeholder"; _leadboard_reply "${alts[@]}" ;;
    esac
}

# _leadboard_positional N COMMAND USAGE: completes the Nth (from 0) argument.
_leadboard_positional()
{
    local n=$1 cmd=$2 usage=$3 rest
    # The usage's arguments: without the options and their values.
    rest=$(sed -E 's/\[--[^]]*\](\.\.\.)?//g; s/--[a-z-]+( [^] [-][^] []*)?//g; s/[][]//g' <<<"$usage")
    local -a args
    read -r -a args <<<"$rest"
    local a=${args[n]-}
    case $a in
    STAGE) _leadboard_reply < <(_leadboard_run help --list stages) ;;
    STARS) _leadboard_reply 1 2 3 4 5 ;;
    COMMAND) _leadboard_reply < <(_leadboard_run help --list commands | sed 's/ .*//' | sort -u) ;;
    KEY) _leadboard_reply < <(_leadboard_db_run setting list | _leadboard_first_column) ;;
    FILE*) mapfile -t COMPREPLY < <(compgen -f -- "$_leadboard_cur"); compopt -o filenames 2>/dev/null ;;
    *[a-z]\|*) local -a alts; IFS='|' read -r -a alts <<<"$a"; _leadboard_reply "${alts[@]}" ;;
    esac
}

_leadboard()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]-}
    local _leadboard_cur=$cur _leadboard_db="" _leadboard_prog=${COMP_WORDS[0]}
    COMPREPLY=()
    command -v "$_leadboard_prog" >/dev/null 2>&1 || _leadboard_prog=leadboard

    # "--db=FILE": bash splits at '=' (COMP_WORDBREAKS).
    if [[ $cur == = ]]; then
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        _leadboard_cur=""
    elif [[ $prev == = ]]; then
        prev=${COMP_WORDS[COMP_CWORD - 2]-}
    fi

    local -a commands
    mapfile -t commands < <(_leadboard_run help --list commands)
    local globals="--db --as --format --help --version --replay --size --dump-screen --timings"

    # The words before the cursor: global options (and their values), the
    # command's words, its options and its arguments.
    local i w cmd="" usage="" npos=0 expect_value=""
    local -a words=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if [[ -n $expect_value ]]; then
            [[ $w == = ]] && continue
            [[ $expect_value == --db ]] && _leadboard_db=$w
            expect_value=""
            continue
        fi
        case $w in
        --db | --as | --format | --replay | --size | --dump-screen) expect_value=$w; continue ;;
        --*)
            # A command's option that takes a value, per its usage line.
            if [[ -n $usage && $usage == *"$w "[A-Za-z]* ]]; then
                [[ ${COMP_WORDS[i + 1]-} == = ]] && ((i++))
                expect_value=$w
            fi
            continue ;;
        esac
        if [[ -z $cmd ]]; then
            words+=("$w")
            local try="${words[*]}" c
            for c in "${commands[@]}"; do
                if [[ $c == "$try" ]]; then
                    cmd=$c
                    # shellcheck disable=SC2086 # one or two words
                    usage=$(_leadboard_run help $cmd | head -n 1)
                    usage=${usage#"usage: leadboard $cmd"}
                    usage=${usage# }
                    break
                fi
            done
            # "lead" alone waits for "add", "edit" or "show"; "list" is a command.
            for c in "${commands[@]}"; do
                [[ $c == "$try "* && $cmd == "$try" ]] && cmd="" && break
            done
        else
            ((npos++))
        fi
    done

    # The value of an option.
    case $prev in
    --db | --as | --format | --replay | --size | --dump-screen)
        _leadboard_value "$prev" "$cmd" "$usage"
        return ;;
    --*)
        if [[ -n $cmd && $usage == *"$prev "[A-Za-z]* ]]; then
            _leadboard_value "$prev" "$cmd" "$usage"
            return
        fi ;;
    esac

    if [[ $_leadboard_cur == -* ]]; then
        local opts=$globals
        [[ -n $cmd ]] && opts+=" $(grep -oE -- '--[a-z][a-z-]*' <<<"$usage" | tr '\n' ' ')"
        # shellcheck disable=SC2086 # a list of words
        _leadboard_reply $opts
        return
    fi

    if [[ -z $cmd ]]; then
        # The command's first word, or its second after a family's name.
        local c
        if ((${#words[@]} == 0)); then
            _leadboard_reply < <(for c in "${commands[@]}"; do printf '%s\n' "${c%% *}"; done | sort -u)
        else
            for c in "${commands[@]}"; do
                [[ $c == "${words[*]} "* ]] && _leadboard_reply "${c#"${words[*]} "}"
            done
        fi
        return
    fi
    _leadboard_positional "$npos" "$cmd" "$usage"
}

complete -F _leadboard leadboard
