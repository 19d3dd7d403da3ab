#!/bin/bash
# fakeshell.sh - sshd ForceCommand for a simulated fence target.
# (Rampart's copy of the shared recipe; additions: STATE/ignore-power makes the node ignore
#  power commands, and after poweroff STATE/off makes every session end at once.)
#
# It NEVER executes what the client asked for. It emulates just enough of a
# Linux host for fence agents:
#   * power commands (reboot, poweroff, halt, shutdown, init 0/6, systemctl reboot|poweroff,
#     sysrq-trigger, "echo '... /sbin/reboot -nf' | at now", ...) are recorded, not run:
#       $SSHSIM_STATE/power      last power command (epoch + text); its mtime = "went down at"
#       $SSHSIM_STATE/boot_id    regenerated (like /proc/sys/kernel/random/boot_id after a reboot)
#       $SSHSIM_LOG              one line per session / command / power event
#   * a few harmless builtins: true false echo hostname "uname [-n|-r|-a]" id whoami pwd
#     "sleep N" (N <= 60) "cat /proc/sys/kernel/random/boot_id" exit quit logout
#   * "virsh list --all | domstate D | start D | destroy D | reboot D | shutdown D" on fake
#     domains in $SSHSIM_STATE/virsh/<name> (so fence_virsh can be pointed at this host)
#   * anything else: "fakeshell: X: command not found", exit 127
# Modes:
#   ssh host 'CMD'                       -> run CMD once, exit with its status
#   ssh -t host (no command)             -> line-oriented interactive loop, prompt $SSHSIM_PROMPT
#   ssh -t host 'bash -c "PS1=P bash"'   -> interactive loop with prompt P (fence_virsh style)
# Environment (set by sshd via SetEnv in the per-node sshd_config):
#   SSHSIM_NODE  node name         SSHSIM_STATE  per-node state dir     SSHSIM_LOG  event log
#   SSHSIM_REBOOT_MODE  clean (default: print nothing, exit 0) | drop (kill the session at once,
#                       as a real "reboot -f" does: client sees the connection die, ssh exits 255)
#                       | hang (never answer: client must time out)
NODE=${SSHSIM_NODE:-node}
STATE=${SSHSIM_STATE:?SSHSIM_STATE not set}
LOG=${SSHSIM_LOG:-$STATE/events.log}
MODE=${SSHSIM_REBOOT_MODE:-clean}
ORIG=${SSH_ORIGINAL_COMMAND-}
[ -e "${SSHSIM_STATE:-/nonexistent}/off" ] && exit 255   # powered off: nobody home
ME=${USER:-$(id -un)}
umask 000   # state files must stay writable for root and the password test user alike

log() { printf '%s node=%s user=%s pid=%s %s\n' "$EPOCHREALTIME" "$NODE" "$ME" "$$" "$*" >> "$LOG"; }   # no forks

is_power_cmd() {
  local c=$1 w='(^|[^[:alnum:]_.-])' e='([^[:alnum:]_-]|$)'
  [[ $c =~ ${w}(reboot|poweroff|halt|shutdown|kexec)${e} ]] && return 0
  [[ $c =~ ${w}(/usr)?(/s?bin/)?(init|telinit)[[:space:]]+[06]${e} ]] && return 0
  [[ $c =~ sysrq-trigger ]] && return 0
  return 1
}

power() {
  # Rampart's additions: a node told to ignore power commands does so, and a node
  # powered off stays off (every later session ends at once, saying nothing)
  if [ -e "$STATE/ignore-power" ]; then log "POWER-IGNORED cmd=$1"; return 0; fi
  if [[ $1 =~ (poweroff|halt|shutdown|init[[:space:]]+0) ]]; then : > "$STATE/off"; fi
  log "POWER mode=$MODE cmd=$1"
  printf '%s %s\n' "$EPOCHREALTIME" "$1" > "$STATE/power"
  local u; read -r u < /proc/sys/kernel/random/uuid; echo "$u" > "$STATE/boot_id"
  case $MODE in
    drop) kill -9 "$PPID" 2>/dev/null; exit 255 ;;   # PPID = this session's sshd process
    hang) exec sleep "${SSHSIM_HANG_SECONDS:-3600}" ;;
  esac
  return 0
}

virsh_cmd() {   # $@ = virsh arguments
  local vd=$STATE/virsh sub=$1 dom=${2-} st
  case $sub in
    list)
      printf ' %-4s %-20s %s\n' Id Name State
      echo '-------------------------------------------'
      local i=0 f
      for f in "$vd"/*; do
        [ -e "$f" ] || continue
        st=$(cat "$f"); i=$((i+1))
        if [ "$st" = running ]; then printf ' %-4s %-20s %s\n' "$i" "${f##*/}" "$st"
        else printf ' %-4s %-20s %s\n' - "${f##*/}" "$st"; fi
      done
      echo; return 0 ;;
    domstate|start|destroy|reboot|shutdown)
      if [ -z "$dom" ] || [ ! -e "$vd/$dom" ]; then
        echo "error: failed to get domain '$dom'"; return 1; fi
      st=$(cat "$vd/$dom")
      case $sub in
        domstate) echo "$st"; echo ;;
        start)    [ "$st" = running ] && { echo "error: Domain is already active"; return 1; }
                  echo running > "$vd/$dom"; log "VIRSH start $dom"; echo "Domain '$dom' started"; echo ;;
        destroy)  [ "$st" = running ] || { echo "error: Requested operation is not valid: domain is not running"; return 1; }
                  echo "shut off" > "$vd/$dom"; log "VIRSH destroy $dom"; echo "Domain '$dom' destroyed"; echo ;;
        reboot|shutdown) log "VIRSH $sub $dom"; echo "Domain '$dom' is being ${sub/reboot/rebooted}"; echo ;;
      esac
      return 0 ;;
    *) echo "error: unknown command: '$sub'"; return 1 ;;
  esac
}

EXIT_REQ=""
dispatch() {   # one command line; sets $? ; sets EXIT_REQ for exit/quit/logout
  local line=$1 first rest
  line=${line%$'\r'}
  [ -z "${line//[[:space:]]/}" ] && return 0
  log "CMD $line"
  read -r first rest <<< "$line"
  if [ "$first" = sudo ]; then read -r first rest <<< "${rest#-n }"; fi
  # "virsh reboot/shutdown DOM" acts on a fake domain, not on this host (single command only)
  if [[ $first =~ ^(/usr/bin/)?virsh$ && ! $line =~ [\;\&\|\`\$] ]]; then virsh_cmd $rest; return $?; fi
  if is_power_cmd "$line"; then power "$line"; return $?; fi
  # "a; b" and "a && b": run the pieces in turn (no pipes, redirections or substitutions)
  if [[ $line == *';'* ]]; then
    local seg rc=0 segs
    IFS=';' read -r -a segs <<< "$line"
    for seg in "${segs[@]}"; do dispatch "$seg"; rc=$?; [ -n "$EXIT_REQ" ] && break; done
    return $rc
  fi
  if [[ $line == *'&&'* ]]; then
    dispatch "${line%%&&*}" && dispatch "${line#*&&}"; return $?
  fi
  case $first in
    true|:) return 0 ;;
    false) return 1 ;;
    exit|quit|logout) EXIT_REQ=${rest:-0}; return 0 ;;
    echo) echo "$rest"; return 0 ;;
    hostname) echo "$NODE"; return 0 ;;
    uname) case $rest in -n) echo "$NODE" ;; -r) uname -r ;; -a) echo "Linux $NODE $(uname -r) fakeshell" ;; *) echo Linux ;; esac; return 0 ;;
    id|whoami) if [ "$first" = whoami ]; then echo "$ME"; else id $rest; fi; return 0 ;;
    pwd) echo "$HOME"; return 0 ;;
    sleep) [[ $rest =~ ^[0-9]+(\.[0-9]+)?$ ]] && (( ${rest%.*} <= 60 )) && sleep "$rest"; return 0 ;;
    cat) if [ "$rest" = /proc/sys/kernel/random/boot_id ]; then echo "$(<"$STATE/boot_id")"; return 0; fi ;;
  esac
  echo "fakeshell: $first: command not found" >&2
  return 127
}

log "SESSION start client=${SSH_CLIENT%% *} tty=${SSH_TTY:-none} cmd=${ORIG:-<interactive>}"

# exec mode: a plain command that does not start an interactive shell
if [ -n "$ORIG" ] && [[ ! $ORIG =~ PS1= ]]; then
  dispatch "$ORIG"; rc=$?
  [ -n "$EXIT_REQ" ] && rc=$EXIT_REQ
  exit "$rc"
fi

# interactive mode
PROMPT=${SSHSIM_PROMPT:-"[$ME@$NODE ~]# "}
if [[ $ORIG =~ PS1=([^[:space:]\"\']+) ]]; then PROMPT=${BASH_REMATCH[1]//\\/}; fi
printf '%s' "$PROMPT"
while IFS= read -r line; do
  dispatch "$line"
  [ -n "$EXIT_REQ" ] && exit "$EXIT_REQ"
  printf '%s' "$PROMPT"
done
exit 0
