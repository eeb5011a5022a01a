#!/usr/bin/env python3
"""What a user feels of `dangpli live` in front of a webcam, on clips made from the real photos of
../shared/data/faces: each face held (or changed every 30 s) while a camera drifts, zooms, tilts and
adds sensor noise, in good light or a dark, blurred, low-bitrate one. Per clip and policy: mood changes
and song changes a minute (from --events), and the CPU share of one core (user + system seconds of
`live` over the clip's seconds; frames are read as fast as they decode, which costs the same work a
paced run does). A face held still should give no change at all; a face that changes, one each.

Usage: bench/camera_clips.py [BUILD_DIR=build] [SECONDS=60] [FPS=15]
Needs ffmpeg (scripts/install-deps.sh installs it). Prints a Markdown table."""
import json
import os
import resource
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FACES = os.path.join(ROOT, "..", "shared", "data", "faces")
WALL = "0x5a5048"
# photo, face centre x, y and width in its pixels: the still puts the face ~400 px wide at the centre
# of a 1280x960 frame (a person about 60 cm from a laptop's camera)
PHOTOS = {"happy": ("happy-baby.jpeg", 618, 300, 265), "neutral": ("neutral.jpeg", 494, 578, 447),
          "sad": ("sad-baby.jpeg", 779, 433, 734), "surprised": ("surprised.jpeg", 848, 497, 318),
          "angry": ("angry.jpg", 605, 967, 870)}
# camera post-processing: a slow tilt, then the light and the encoder
TILT = f"rotate='0.06*sin(2*PI*t/5.3)+0.025*sin(2*PI*t/1.7)':fillcolor={WALL}"
LOOKS = {"good light": (f"{TILT},noise=alls=8:allf=t+u", ["-c:v", "mjpeg", "-q:v", "5"], ".avi"),
         "dark, blurred, 250 kbit/s": (f"{TILT},eq=brightness=-0.08:gamma=0.8,boxblur=3:1:enable='lt(mod(t\\,7.3)\\,0.5)',"
                                       "noise=alls=14:allf=t+u",
                                       ["-c:v", "libx264", "-preset", "veryfast", "-b:v", "250k", "-maxrate", "300k",
                                        "-bufsize", "300k"], ".mp4")}


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-threads", "1", *args], check=True)


def make_still(tmp, name):
    photo, x, y, width = PHOTOS[name]
    scale = 400.0 / width
    out = os.path.join(tmp, name + ".png")
    ffmpeg("-i", os.path.join(FACES, photo), "-vf",
           f"scale=iw*{scale:.4f}:ih*{scale:.4f},pad=iw+1280:ih+960:640:480:color={WALL},"
           f"crop=1280:960:{int(x * scale)}:{int(y * scale)}", out)
    return out


def make_clip(tmp, name, stills, seconds_each, fps, look):
    """The stills one after another, each held seconds_each, through a drifting, zooming camera."""
    inputs, chains = [], []
    for i, still in enumerate(stills):
        phase = 1.3 * i
        inputs += ["-i", still]
        chains.append(f"[{i}]zoompan=z='1.05+0.04*sin(2*PI*on/({fps}*7)+{phase})':"
                      f"x='iw/2-(iw/zoom/2)+30*sin(2*PI*on/({fps}*5)+{phase})+10*sin(2*PI*on/({fps}*1.3))':"
                      f"y='ih/2-(ih/zoom/2)+18*sin(2*PI*on/({fps}*3.3)+{phase})+6*sin(2*PI*on/({fps}*0.9))':"
                      f"d={int(seconds_each * fps)}:s=640x480:fps={fps},setsar=1[v{i}]")
    post, encoder, extension = LOOKS[look]
    joined = "".join(f"[v{i}]" for i in range(len(stills))) + f"concat=n={len(stills)}:v=1:a=0[c]"
    out = os.path.join(tmp, name + extension)
    ffmpeg(*inputs, "-filter_complex", ";".join(chains) + f";{joined};[c]{post},format=yuvj420p[o]",
           "-map", "[o]", "-r", str(fps), *encoder, out)
    return out


def run_live(build, tmp, clip, policy):
    """Mood changes, song changes a minute, and the CPU share, of one run."""
    events = os.path.join(tmp, "events.jsonl")
    if os.path.exists(events):
        os.remove(events)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([os.path.join(build, "bin", "dangpli"), "live", "--source", clip, "--player", "silent", "--no-ask",
                    "--seed", "1", "--policy", policy, "--db", os.path.join(tmp, "store.db"), "--events", events],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    rows = [json.loads(line) for line in open(events, encoding="utf-8")]
    minutes = rows[-1]["t"] / 60.0
    moods = sum(1 for r in rows if r["event"] == "mood_changed")
    songs = sum(1 for r in rows if r["event"] in ("song_started", "switched"))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # the first mood and the first song are no change
    return max(moods - 1, 0), max(songs - 1, 0) / minutes, cpu / (minutes * 60.0)


def main():
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    fps = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    with tempfile.TemporaryDirectory() as tmp:
        stills = {name: make_still(tmp, name) for name in PHOTOS}
        clips = []  # (what, real changes, path)
        for look in LOOKS:
            for name in PHOTOS:
                clips.append((f"{name} held, {look}", 0,
                              make_clip(tmp, f"{name}-{len(clips)}", [stills[name]], seconds, fps, look)))
            order = ["neutral", "happy", "neutral", "sad"]
            clips.append((f"{' > '.join(order)}, 30 s each, {look}", len(order) - 1,
                          make_clip(tmp, f"change-{len(clips)}", [stills[n] for n in order], 30, fps, look)))
        print(f"`bench/camera_clips.py {sys.argv[1] if len(sys.argv) > 1 else 'build'} {seconds:g} {fps}` "
              f"(640x480, {fps} fps, silent player)\n")
        print("| clip | real changes | mood changes | song changes/min, lift | song changes/min, match | CPU share |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for what, real, clip in clips:
            mood, lift_songs, lift_cpu = run_live(build, tmp, clip, "lift")
            _, match_songs, match_cpu = run_live(build, tmp, clip, "match")
            print(f"| {what} | {real} | {mood} | {lift_songs:.2f} | {match_songs:.2f} | "
                  f"{(lift_cpu + match_cpu) / 2:.3f} |", flush=True)


if __name__ == "__main__":
    main()
