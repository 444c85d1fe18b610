# bash completion for octavo(1). Installed by 'make install' as
# $(PREFIX)/share/bash-completion/completions/octavo.

_octavo()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion -s || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	local commands="build check watch proof report preflight cover init help"
	local common="-q --quiet -v --verbose --color= -h --help"

	# The command is the first word after 'octavo' that is not an option
	# (or an option's argument).
	local cmd="" i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-o | --output | --profile) ((i++)) ;;
		-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done

	case $prev in
	-o | --output)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	--color | --colour) # _init_completion -s split "--color=WHEN"
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return ;;
	--profile)
		COMPREPLY=($(compgen -W "ingramspark kdp lulu offset screen" -- "$cur"))
		return ;;
	esac
	case $cur in
	--color=* | --colour=*)
		COMPREPLY=($(compgen -W "auto always never" -- "${cur#*=}"))
		return ;;
	--profile=*)
		COMPREPLY=($(compgen -W "ingramspark kdp lulu offset screen" -- "${cur#*=}"))
		return ;;
	esac

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$common -V --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		[[ ${COMPREPLY-} == *= ]] && compopt -o nospace 2>/dev/null
		return
	fi

	local opts=""
	case $cmd in
	build | watch) opts="-o --output --pdf --epub --no-page-list --screen --profile=" ;;
	preflight) opts="-o --output --profile=" ;;
	check) opts="--profile=" ;;
	proof) opts="-o --output --pages" ;;
	report) opts="--lines" ;;
	cover) opts="-o --output --profile --proof" ;;
	help)
		COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts $common" -- "$cur"))
		[[ ${COMPREPLY-} == *= ]] && compopt -o nospace 2>/dev/null
	else
		# DIR (or NEWDIR for init): a folder.
		COMPREPLY=($(compgen -d -- "$cur"))
		compopt -o filenames 2>/dev/null
	fi
}
complete -F _octavo octavo
