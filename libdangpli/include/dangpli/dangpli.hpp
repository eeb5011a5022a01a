#pragma once
/// \file
/// Everything of libdangpli (target dangpli::dangpli, pkg-config `dangpli`) in one include.
///
/// The players that need libmpv, player_factory.hpp and mpv_player.hpp, belong to the separate
/// library dangpli::player and are included on their own.

#include "dangpli/version.hpp"

#include "dangpli/error.hpp"
#include "dangpli/third_party_logs.hpp"
#include "dangpli/data_dirs.hpp"
#include "dangpli/model_files.hpp"
#include "dangpli/model_card.hpp"
#include "dangpli/output_file.hpp"
#include "dangpli/input_file.hpp"
#include "dangpli/image_file.hpp"
#include "dangpli/video_turn.hpp"
#include "dangpli/video_clock.hpp"
#include "dangpli/media_content.hpp"
#include "dangpli/yaml_documents.hpp"
#include "dangpli/csv_field.hpp"
#include "dangpli/shell_word.hpp"
#include "dangpli/ascii_text.hpp"
#include "dangpli/parallel_in_order.hpp"

#include "dangpli/emotion.hpp"
#include "dangpli/emotion_scores.hpp"
#include "dangpli/face.hpp"
#include "dangpli/face_detector_options.hpp"
#include "dangpli/face_detector.hpp"
#include "dangpli/mtcnn_detector.hpp"
#include "dangpli/yunet_detector.hpp"
#include "dangpli/face_detector_factory.hpp"
#include "dangpli/fallback_detector.hpp"
#include "dangpli/tilt_retry_detector.hpp"
#include "dangpli/face_aligner.hpp"
#include "dangpli/emotion_classifier.hpp"
#include "dangpli/class_balance.hpp"
#include "dangpli/face_analyzer.hpp"
#include "dangpli/image_analysis.hpp"

#include "dangpli/fer2013.hpp"
#include "dangpli/text_lines.hpp"
#include "dangpli/confusion_matrix.hpp"
#include "dangpli/evaluation.hpp"

#include "dangpli/emotion_aggregator.hpp"
#include "dangpli/main_face_tracker.hpp"
#include "dangpli/live_session.hpp"
#include "dangpli/face_tracker.hpp"
#include "dangpli/main_face_reader.hpp"
#include "dangpli/live_trace.hpp"
#include "dangpli/song_chooser.hpp"
#include "dangpli/live_loop.hpp"

#include "dangpli/playlist_types.hpp"
#include "dangpli/playlist_store.hpp"
#include "dangpli/playlist_io.hpp"

#include "dangpli/audio_decoder.hpp"
#include "dangpli/audio_features.hpp"
#include "dangpli/song_analysis.hpp"
#include "dangpli/mood_mapping.hpp"
#include "dangpli/listener_model.hpp"

#include "dangpli/player.hpp"
#include "dangpli/silent_player.hpp"
#include "dangpli/command_player.hpp"
