"""Fail unless TensorFlow sees a GPU and can compute on it (the GPU runner's check)."""

import sys

import tensorflow as tf

gpus = tf.config.list_physical_devices("GPU")
if not gpus:
    sys.exit("TensorFlow sees no GPU: check the driver and that tensorflow[and-cuda] installed")
with tf.device("/GPU:0"):
    product = tf.linalg.matmul(tf.ones((256, 256)), tf.ones((256, 256)))
print(f"TensorFlow {tf.__version__} sees {len(gpus)} GPU(s); a matmul ran on {product.device}")
